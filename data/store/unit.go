package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"baomi/data"
)

var _ data.UnitService = (*Store)(nil)

const singleton = "this"

// Unit returns the unit's description, or an error wrapping data.ErrNotFound
// before setup stored one.
func (s *Store) Unit(ctx context.Context) (data.Unit, error) {
	var u data.Unit
	err := s.view(ctx, func(txn *badger.Txn) error { return s.get(txn, KindUnit, singleton, &u) })
	if err != nil {
		return data.Unit{}, fmt.Errorf("unit: %w", err)
	}
	return u, nil
}

// SaveUnit validates and stores the unit's description.
func (s *Store) SaveUnit(ctx context.Context, u data.Unit) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.opts.Now()
	}
	if err := s.update(ctx, func(t *tx) error { return t.put(KindUnit, singleton, u) }); err != nil {
		return fmt.Errorf("save unit: %w", err)
	}
	return nil
}

// Settings returns the unit's settings; a store without saved settings has
// data.DefaultSettings.
func (s *Store) Settings(ctx context.Context) (data.Settings, error) {
	set := data.DefaultSettings()
	err := s.view(ctx, func(txn *badger.Txn) error { return s.get(txn, KindSettings, singleton, &set) })
	if errors.Is(err, data.ErrNotFound) {
		return data.DefaultSettings(), nil
	}
	if err != nil {
		return data.Settings{}, fmt.Errorf("settings: %w", err)
	}
	if len(set.Classifications) == 0 {
		set.Classifications = data.DefaultSettings().Classifications
	}
	if set.NumberPattern == "" {
		set.NumberPattern = data.DefaultNumberPattern
	}
	return set, nil
}

// SaveSettings validates and stores the unit's settings.
func (s *Store) SaveSettings(ctx context.Context, set data.Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	if err := s.update(ctx, func(t *tx) error { return t.put(KindSettings, singleton, set) }); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// Classifications returns the unit's 密级 list.
func (s *Store) Classifications(ctx context.Context) ([]data.Classification, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return set.Classifications, nil
}
