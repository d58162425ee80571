package ogm_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gonode/gonode/internal/testenv"
	"github.com/gonode/gonode/ogm"
)

// TestReadCypher: rows like Cypher's; a write refused outside a write
// transaction; inside Write, the query joins the transaction (it sees the
// node the transaction created) and InTransaction says so.
func TestReadCypher(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	label := testenv.Label(t)
	cleanup(t, db, label)

	res, err := db.ReadCypher(ctx, "RETURN $x AS x, 2 AS y", map[string]any{"x": int64(1)})
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != int64(1) || res.Rows[0][1] != int64(2) || len(res.Keys) != 2 || res.Keys[0] != "x" {
		t.Fatalf("ReadCypher: %+v %v", res, err)
	}
	_, err = db.ReadCypher(ctx, "CREATE (:"+ogm.Quote(label)+")", nil)
	var e *ogm.Error
	if !errors.Is(err, ogm.ErrReadOnly) || !errors.As(err, &e) || e.Op != "read cypher" {
		t.Errorf("a write through ReadCypher: %v", err)
	}
	if db.InTransaction(ctx) {
		t.Error("InTransaction outside Write")
	}

	err = db.Write(ctx, func(ctx context.Context) error {
		if !db.InTransaction(ctx) {
			t.Error("InTransaction inside Write is false")
		}
		if _, err := db.Cypher(ctx, "CREATE (:"+ogm.Quote(label)+")", nil); err != nil {
			return err
		}
		res, err := db.ReadCypher(ctx, "MATCH (n:"+ogm.Quote(label)+") RETURN count(n)", nil)
		if err != nil {
			return err
		}
		if res.Rows[0][0] != int64(1) {
			t.Errorf("ReadCypher inside Write saw %v nodes, want the transaction's 1", res.Rows[0][0])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Read(ctx, func(ctx context.Context) error {
		if !db.InTransaction(ctx) {
			t.Error("InTransaction inside Read is false")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another DB's transaction is not db's.
	other := open(t)
	_ = other.Read(ctx, func(ctx context.Context) error {
		if db.InTransaction(ctx) {
			t.Error("InTransaction is true in another DB's transaction")
		}
		return nil
	})
}
