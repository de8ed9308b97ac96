package store

import (
	"baomi/data/datatest"
	"fmt"
	"testing"
)

// fillStore adds n carriers to a new store in dir and closes it.
func fillStore(b *testing.B, dir string, keys Keys, n int) {
	b.Helper()
	s := openTest(b, dir, keys, false)
	for i := 0; i < n; i++ {
		c := datatest.NewCarrier(fmt.Sprintf("BM-2026-%06d", i))
		c.Title = fmt.Sprintf("关于第%d号保密工作事项的通知", i)
		if _, err := s.AddCarrier(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAddCarrier measures one durable (SyncWrites) add with its audit
// entry and index.
func BenchmarkAddCarrier(b *testing.B) {
	s := openTest(b, b.TempDir(), testKeys(b), false)
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.AddCarrier(ctx, datatest.NewCarrier(fmt.Sprintf("B-%09d", i))); err != nil {
			b.Fatal(err)
		}
	}
}

func benchWithStore(b *testing.B, n int, fn func(b *testing.B, dir string, keys Keys)) {
	dir, keys := b.TempDir(), testKeys(b)
	fillStore(b, dir, keys, n)
	b.ResetTimer()
	fn(b, dir, keys)
}

// BenchmarkOpenGuarded measures Open with the child-process guard on a store
// of 2,000 carriers.
func BenchmarkOpenGuarded(b *testing.B) {
	benchWithStore(b, 2000, func(b *testing.B, dir string, keys Keys) {
		for i := 0; i < b.N; i++ {
			s := openTest(b, dir, keys, true)
			s.Close()
		}
	})
}

// BenchmarkVerify2000 measures a full Verify of a store of 2,000 carriers
// (about 4,000 sealed values).
func BenchmarkVerify2000(b *testing.B) {
	benchWithStore(b, 2000, func(b *testing.B, dir string, keys Keys) {
		s := openTest(b, dir, keys, false)
		defer s.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.Verify(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListCarriers2000 measures reading and decrypting the whole
// register of 2,000 carriers.
func BenchmarkListCarriers2000(b *testing.B) {
	benchWithStore(b, 2000, func(b *testing.B, dir string, keys Keys) {
		s := openTest(b, dir, keys, false)
		defer s.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			list, err := s.Carriers(ctx)
			if err != nil || len(list) != 2000 {
				b.Fatal(len(list), err)
			}
		}
	})
}

// BenchmarkRefusedLeave2000 measures a leaving refused because the person
// is 责任人 of all of a register of 2,000 carriers: the carriers held are
// found in the register's cache, not by reading the store.
func BenchmarkRefusedLeave2000(b *testing.B) {
	benchWithStore(b, 2000, func(b *testing.B, dir string, keys Keys) {
		s := openTest(b, dir, keys, false)
		defer s.Close()
		p, err := s.AddPerson(ctx, samplePerson("李四", ""))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Carriers(ctx); err != nil { // the register screen has read it
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.Leave(ctx, leaving(p.ID)); err == nil {
				b.Fatal("leaving allowed while 2,000 carriers are held")
			}
		}
	})
}
