package ui

import (
	"context"
	"fmt"

	"baomi/data"
)

// errChecking is what the preview answers to anything it cannot do.
var errChecking = data.Userf(data.ErrLocked, "%s", WaitText)

// previewService serves the register of the last session from its
// snapshot while the store is being checked: reads only.
type previewService struct {
	snap *data.RegisterSnapshot
}

func newPreviewService(snap *data.RegisterSnapshot) *previewService {
	return &previewService{snap: snap}
}

// Carriers returns a copy of the snapshot's register.
func (p *previewService) Carriers(context.Context) ([]data.Carrier, error) {
	return append([]data.Carrier(nil), p.snap.Carriers...), nil
}

// Carrier returns one carrier of the snapshot.
func (p *previewService) Carrier(_ context.Context, id string) (data.Carrier, error) {
	for _, c := range p.snap.Carriers {
		if c.ID == id {
			return c, nil
		}
	}
	return data.Carrier{}, fmt.Errorf("carrier %s: %w", id, data.ErrNotFound)
}

// Classifications returns the snapshot's 密级 list.
func (p *previewService) Classifications(context.Context) ([]data.Classification, error) {
	return p.snap.Settings.Classifications, nil
}

// Settings returns the snapshot's settings.
func (p *previewService) Settings(context.Context) (data.Settings, error) {
	return p.snap.Settings, nil
}

// AddCarrier is refused until the store is checked.
func (p *previewService) AddCarrier(context.Context, data.Carrier) (data.Carrier, error) {
	return data.Carrier{}, errChecking
}

// UpdateCarrier is refused until the store is checked.
func (p *previewService) UpdateCarrier(context.Context, data.Carrier) (data.Carrier, error) {
	return data.Carrier{}, errChecking
}

// Events is refused: the history is not in the snapshot.
func (p *previewService) Events(context.Context, string) ([]data.Event, error) {
	return nil, errChecking
}

// Record is refused until the store is checked.
func (p *previewService) Record(context.Context, data.Event) (data.Event, error) {
	return data.Event{}, errChecking
}

// RecordBatch is refused until the store is checked.
func (p *previewService) RecordBatch(context.Context, []data.Event, func(int, int)) ([]data.Event, error) {
	return nil, errChecking
}
