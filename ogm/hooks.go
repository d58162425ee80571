package ogm

import "context"

// Hooks. A generated node type may implement any of these interfaces, in a
// hand-written file of its package (neomodel's pre_save, post_save,
// post_create, pre_delete and post_delete); the runtime calls them on the
// node's pointer. An error from a Before hook stops the write. An error from
// an After hook is returned after the write: inside DB.Write, returning it
// from the function rolls the write back; outside, the write has been
// committed already. SaveProps, a narrow update, calls no hooks.
type (
	// BeforeSaver is called by Create, CreateMany and Save after defaults
	// are applied and before validation.
	BeforeSaver interface {
		BeforeSave(ctx context.Context) error
	}
	// AfterSaver is called after every successful Create, CreateMany and
	// Save.
	AfterSaver interface {
		AfterSave(ctx context.Context) error
	}
	// AfterCreator is called after the node was created (before AfterSave).
	AfterCreator interface {
		AfterCreate(ctx context.Context) error
	}
	// BeforeDeleter is called by Delete before the node is removed.
	BeforeDeleter interface {
		BeforeDelete(ctx context.Context) error
	}
	// AfterDeleter is called after the node was removed.
	AfterDeleter interface {
		AfterDelete(ctx context.Context) error
	}
)

// hook calls call when v implements H.
func hook[H any](v any, call func(H) error) error {
	if h, ok := v.(H); ok {
		return call(h)
	}
	return nil
}

func beforeSave(ctx context.Context, v any) error {
	return hook(v, func(h BeforeSaver) error { return h.BeforeSave(ctx) })
}

func afterSave(ctx context.Context, v any) error {
	return hook(v, func(h AfterSaver) error { return h.AfterSave(ctx) })
}

func afterCreate(ctx context.Context, v any) error {
	if err := hook(v, func(h AfterCreator) error { return h.AfterCreate(ctx) }); err != nil {
		return err
	}
	return afterSave(ctx, v)
}
