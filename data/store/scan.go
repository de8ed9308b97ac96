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
//
// work gets a scratch buffer of its worker to decrypt into; neither it nor
// visit may keep key, val or the scratch buffer (they are reused).
func scanParallel[T any](ctx context.Context, txn *badger.Txn, prefix []byte,
	work func(key, val []byte, err error, scratch *[]byte) T, visit func(key []byte, r T) error) error {
	const batchSize = 512
	type batch struct {
		slab       []byte // keys and values, one after the other
		ends       []int  // where each key and each value ends in slab
		keys, vals [][]byte
		errs       []error
		out        []T
		done       chan struct{}
	}
	free := make(chan *batch, 8*runtime.GOMAXPROCS(0))
	newBatch := func() *batch {
		select {
		case b := <-free:
			b.slab, b.ends, b.keys, b.vals, b.errs = b.slab[:0], b.ends[:0], b.keys[:0], b.vals[:0], b.errs[:0]
			b.done = make(chan struct{})
			return b
		default:
			return &batch{done: make(chan struct{})}
		}
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
			var scratch []byte
			for b := range jobs {
				if cap(b.out) < len(b.keys) {
					b.out = make([]T, len(b.keys))
				}
				b.out = b.out[:len(b.keys)]
				for i := range b.keys {
					b.out[i] = work(b.keys[i], b.vals[i], b.errs[i], &scratch)
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
		b := newBatch()
		send := func() bool {
			start := 0
			for i := 0; i < len(b.ends); i += 2 {
				b.keys = append(b.keys, b.slab[start:b.ends[i]:b.ends[i]])
				b.vals = append(b.vals, b.slab[b.ends[i]:b.ends[i+1]:b.ends[i+1]])
				start = b.ends[i+1]
			}
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
			b = newBatch()
			return true
		}
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			item := it.Item()
			b.slab = append(b.slab, item.Key()...)
			b.ends = append(b.ends, len(b.slab))
			err := item.Value(func(v []byte) error {
				b.slab = append(b.slab, v...)
				return nil
			})
			b.ends = append(b.ends, len(b.slab))
			b.errs = append(b.errs, err)
			if len(b.errs) == batchSize && !send() {
				return
			}
		}
		if len(b.errs) > 0 {
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
			continue
		}
		clear(b.out)
		select {
		case free <- b:
		default:
		}
	}
	wg.Wait()
	return err
}
