package workspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"baomi/data"
	"baomi/data/store"
	"baomi/data/vault"
)

// Changing the password only rewraps the vault key: the keys that encrypt
// the store stay, so an old copy of vault.json still opens today's store
// with the old password. RotateKeys (更换密钥) is the revocation: new store
// keys, the store written again under them, the old store deleted.
//
// Crash safety. The vault is the journal. Before the store is touched,
// vault.StageKeys makes the next keys durable in the vault beside the
// current ones. From then on the folder is always in one of the states of
// store.RekeyState, and settleRekey, run by RotateKeys itself and by every
// unlock, moves it on:
//
//	keys staged, state none/building  → undo: delete db.rekey, drop the staged keys;
//	                                    but finish (commit) if db/ is sealed under
//	                                    the staged keys (a vault copy older than the commit)
//	keys staged, state switching/ed   → finish: complete the renames, commit the
//	                                    staged keys, delete db.old
//	nothing staged, db.old left over   → a finished re-key: delete db.old
//
// The new store is switched to only after it was written completely and
// verified with the new keys, so "finish" never puts an incomplete store in
// place; until the staged keys are committed the vault holds both sets, so
// each state has its keys; db.old is deleted only after the commit is
// durable. Every step is idempotent, so a kill during settleRekey is
// settled by the next unlock in the same way.

// testHookRekey, set by tests only, is told each durable step of a re-key.
var testHookRekey func(step string)

func noteRekey(cfg Config, step string) {
	cfg.logger().Printf("更换密钥：%s", step)
	if testHookRekey != nil {
		testHookRekey(step)
	}
}

// RotateKeys (更换密钥) makes new store keys and writes the store again under
// them, after checking password. The password and the recovery code stay
// valid; an old copy of the vault no longer opens the store. progress, if
// not nil, is told how far the work is. The store is closed while the work
// runs: no other call may use w until RotateKeys returns, and Close waits
// for it. On error the store is reopened with whichever keys open it (the
// old ones unless the switch had begun, which is then finished) and w stays
// usable, unless reopening failed too.
func (w *Workspace) RotateKeys(ctx context.Context, password string, cfg Config, progress store.RekeyProgress) error {
	w.rekey.Lock()
	defer w.rekey.Unlock()
	if w.Store == nil {
		return data.ErrLocked
	}
	next, err := vault.NewKeys()
	if err != nil {
		return err
	}
	defer next.Wipe()
	if err := vault.StageKeys(w.Dir, password, next); err != nil {
		if errors.Is(err, data.ErrWrongPassword) {
			return data.FieldErrors{{Field: "当前密码", Problem: "不正确"}}
		}
		return err
	}
	noteRekey(cfg, "新密钥已暂存在密钥文件中")
	// The keys as the vault now holds them, staged ones included, so that
	// settleRekey below sees what the next unlock would see.
	old, err := vault.Open(w.Dir, password)
	if err != nil {
		return err
	}
	operator := w.Store.Operator()
	cerr := w.Store.Close()
	w.keys.Wipe()
	w.keys = nil
	if cerr != nil {
		// The store is closed all the same; its files are as the last
		// commit left them.
		cfg.logger().Printf("rotate keys: close store: %v", cerr)
	}
	noteRekey(cfg, "数据库已关闭")
	buildCfg := store.Options{Operator: operator, NoGuard: cfg.NoGuard, Logger: cfg.Logger}
	werr := store.BuildRekeyed(ctx, w.Dir, storeKeys(old), storeKeys(next), buildCfg, progress)
	if werr == nil {
		noteRekey(cfg, "新数据库已写好并校验通过")
		werr = store.SwitchRekeyed(w.Dir, func(step string) { noteRekey(cfg, step) })
	}
	keys, err := settleRekey(w.Dir, password, old, cfg)
	if err != nil {
		old.Wipe()
		return errors.Join(werr, err)
	}
	switch {
	case werr != nil && bytes.Equal(keys.Master, next.Master):
		// The switch failed half-way and settleRekey finished it.
		cfg.logger().Printf("rotate keys: %v (finished on the second attempt)", werr)
		werr = nil
	case werr != nil:
		werr = data.Userf(werr, "更换密钥未完成，数据仍用原来的密钥加密：%s", data.Message(werr))
	}
	// The guard child has just checked these very files (as db.rekey) when
	// the configuration asks for it; a second check would double the wait.
	openCfg := cfg
	openCfg.NoGuard = true
	nw, err := open(w.Dir, keys, operator, openCfg)
	if err != nil {
		return errors.Join(werr, err)
	}
	w.Store, w.keys = nw.Store, nw.keys
	return werr
}

func storeKeys(k *vault.Keys) store.Keys {
	return store.Keys{Master: k.Master, Record: k.Record, Index: k.Index}
}

// settleRekey finishes or undoes a re-key a kill interrupted (see above)
// and returns the keys that open the store now in place: keys, the vault's
// content opened with password, or the staged keys once committed (keys
// is wiped then). With nothing to settle it returns keys and writes
// nothing.
func settleRekey(dir, password string, keys *vault.Keys, cfg Config) (*vault.Keys, error) {
	st, err := store.RekeyState(dir)
	if err != nil {
		return nil, err
	}
	staged, ok := vault.Staged(keys)
	if !ok {
		switch st {
		case store.RekeySwitched:
			// The staged keys were committed; only the old store's
			// removal was left.
			if err := store.RemoveOldStore(dir); err != nil {
				return nil, err
			}
			noteRekey(cfg, "旧数据库已删除")
		case store.RekeyBuilding:
			// Keys are staged before db.rekey is made and dropped only
			// after it is deleted, so this is a leftover no key opens.
			if err := store.AbandonRekey(dir); err != nil {
				return nil, err
			}
		case store.RekeySwitching:
			return nil, data.Userf(fmt.Errorf("rekey: %s and %s without staged keys: %w", store.OldDir, store.RekeyDir, data.ErrCorrupt),
				"数据目录中的数据库文件夹不完整（%s、%s），且密钥文件中没有对应的密钥。请从备份恢复整个数据目录。", store.OldDir, store.RekeyDir)
		}
		return keys, nil
	}
	defer staged.Wipe()
	switch st {
	case store.RekeyNone, store.RekeyBuilding:
		if err := store.AbandonRekey(dir); err != nil {
			return nil, err
		}
		// The folders say the switch never happened, but a vault copy
		// written before the commit (the backup, when a kill came between
		// the two copies and the primary was lost later) also has keys
		// staged. Dropping them then would lose the only keys of the
		// store in place, so ask the store which keys it is sealed under.
		if isNew, err := store.SealedUnder(dir, storeKeys(staged)); err != nil {
			return nil, err
		} else if isNew {
			return commitStaged(dir, password, keys, cfg)
		}
		if err := vault.DropStaged(dir, password); err != nil {
			return nil, err
		}
		vault.ForgetStaged(keys)
		noteRekey(cfg, "未完成的更换密钥已撤销，数据仍用原来的密钥")
		return keys, nil
	}
	if err := store.SwitchRekeyed(dir, func(step string) { noteRekey(cfg, step) }); err != nil {
		return nil, err
	}
	return commitStaged(dir, password, keys, cfg)
}

// commitStaged makes the staged keys the vault's keys, deletes the old
// store and returns the keys as the vault now holds them (keys is wiped).
func commitStaged(dir, password string, keys *vault.Keys, cfg Config) (*vault.Keys, error) {
	if err := vault.CommitStaged(dir, password); err != nil {
		return nil, err
	}
	noteRekey(cfg, "新密钥已写入密钥文件")
	if err := store.RemoveOldStore(dir); err != nil {
		// The new store and its keys are in place; the old files only
		// take room until the next unlock removes them.
		cfg.logger().Printf("rotate keys: %v", err)
	} else {
		noteRekey(cfg, "旧数据库已删除")
	}
	// The vault now holds the staged keys and every other entry of keys.
	now, err := vault.Open(dir, password)
	if err != nil {
		return nil, err
	}
	keys.Wipe()
	return now, nil
}
