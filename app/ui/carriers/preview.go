package carriers

import (
	"context"
	"fmt"

	"baomi/app/ui/kit"
	"baomi/data"
)

// errChecking is what the preview answers to anything it cannot do.
var errChecking = data.Userf(data.ErrLocked, "%s", kit.WaitText)

// Preview serves the register of the last session from its
// snapshot while the store is being checked: reads only.
type Preview struct {
	snap *data.RegisterSnapshot
}

// NewPreview serves snap read-only.
func NewPreview(snap *data.RegisterSnapshot) *Preview {
	return &Preview{snap: snap}
}

// Carriers returns a copy of the snapshot's register.
func (p *Preview) Carriers(context.Context) ([]data.Carrier, error) {
	return append([]data.Carrier(nil), p.snap.Carriers...), nil
}

// Carrier returns one carrier of the snapshot.
func (p *Preview) Carrier(_ context.Context, id string) (data.Carrier, error) {
	for _, c := range p.snap.Carriers {
		if c.ID == id {
			return c, nil
		}
	}
	return data.Carrier{}, fmt.Errorf("carrier %s: %w", id, data.ErrNotFound)
}

// Classifications returns the snapshot's 密级 list.
func (p *Preview) Classifications(context.Context) ([]data.Classification, error) {
	return p.snap.Settings.Classifications, nil
}

// Settings returns the snapshot's settings.
func (p *Preview) Settings(context.Context) (data.Settings, error) {
	return p.snap.Settings, nil
}

// AddCarrier is refused until the store is checked.
func (p *Preview) AddCarrier(context.Context, data.Carrier) (data.Carrier, error) {
	return data.Carrier{}, errChecking
}

// UpdateCarrier is refused until the store is checked.
func (p *Preview) UpdateCarrier(context.Context, data.Carrier) (data.Carrier, error) {
	return data.Carrier{}, errChecking
}

// Events is refused: the history is not in the snapshot.
func (p *Preview) Events(context.Context, string) ([]data.Event, error) {
	return nil, errChecking
}

// Record is refused until the store is checked.
func (p *Preview) Record(context.Context, data.Event) (data.Event, error) {
	return data.Event{}, errChecking
}

// RecordBatch is refused until the store is checked.
func (p *Preview) RecordBatch(context.Context, []data.Event, func(int, int)) ([]data.Event, error) {
	return nil, errChecking
}
