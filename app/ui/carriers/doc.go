// Package carriers holds the screens of the carrier register (涉密载体台账):
// the register with its filters, alerts, batch actions and prints, the
// 登记/修改 form, a carrier's detail view with its events, the xlsx import
// and export, and the stocktake (清点). It is the model every later feature
// package follows: it depends on kit.Shell for the window and on
// data.CarrierService (and, for import and export, the methods importService
// names) for the data, never on the store, the vault or app/ui, and every
// store call runs in the background through kit.
package carriers

import "context"

// bgctx is the context of reads that no one cancels: a register read in
// the background ends on its own, and the store answers data.ErrLocked
// once the window locked.
var bgctx = context.Background()
