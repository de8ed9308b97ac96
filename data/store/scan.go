package store

import (
	"context"
	"runtime"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// scanParallel reads every value under prefix in key order, runs work on
// each key and value on all cores, and calls visit with the results in
// key order, on the calling goroutine. It stops at the first error visit
// returns (or ctx's), which it returns. Verify uses it: opening, decoding
// and hashing hundreds of thousands of values is what takes the time, the
// checks that need order are cheap.
func scanParallel[T any](ctx context.Context, txn *badger.Txn, prefix []byte,
	work func(key, val []byte, err error) T, visit func(key []byte, r T) error) error {
	const batchSize = 512
	type batch struct {
		keys, vals [][]byte
		errs       []error
		out        []T
		done       chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *batch, 2*workers)
	order := make(chan *batch, 4*workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				b.out = make([]T, len(b.keys))
				for i := range b.keys {
					b.out[i] = work(b.keys[i], b.vals[i], b.errs[i])
				}
				close(b.done)
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		b := &batch{done: make(chan struct{})}
		send := func() bool {
			select {
			case jobs <- b:
			case <-stop:
				return false
			}
			select {
			case order <- b:
			case <-stop:
				return false
			}
			b = &batch{done: make(chan struct{})}
			return true
		}
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			item := it.Item()
			v, err := item.ValueCopy(nil)
			b.keys, b.vals, b.errs = append(b.keys, item.KeyCopy(nil)), append(b.vals, v), append(b.errs, err)
			if len(b.keys) == batchSize && !send() {
				return
			}
		}
		if len(b.keys) > 0 {
			send()
		}
	}()
	var err error
	for b := range order {
		if err != nil {
			continue // drain so that the reader ends
		}
		<-b.done
		for i := range b.keys {
			if err = ctx.Err(); err != nil {
				break
			}
			if err = visit(b.keys[i], b.out[i]); err != nil {
				break
			}
		}
		if err != nil {
			close(stop)
		}
	}
	wg.Wait()
	return err
}
