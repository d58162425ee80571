package people

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// Hooks on City, defined only in the test binary (a hand-written file of a
// generated package would define them the same way).

// HookLog records the hooks called, in order.
var HookLog struct {
	sync.Mutex
	Calls []string
}

func logHook(name string, c *City) {
	HookLog.Lock()
	defer HookLog.Unlock()
	HookLog.Calls = append(HookLog.Calls, name+":"+c.Name)
}

// ErrForbiddenCity is what BeforeSave returns for the city "Forbidden".
var ErrForbiddenCity = errors.New("forbidden city")

func (c *City) BeforeSave(ctx context.Context) error {
	c.Name = strings.TrimSpace(c.Name)
	logHook("before save", c)
	if c.Name == "Forbidden" {
		return ErrForbiddenCity
	}
	return nil
}

func (c *City) AfterSave(ctx context.Context) error   { logHook("after save", c); return nil }
func (c *City) AfterCreate(ctx context.Context) error { logHook("after create", c); return nil }

func (c *City) BeforeDelete(ctx context.Context) error {
	logHook("before delete", c)
	if c.Name == "Keep" {
		return errors.New("keep this city")
	}
	return nil
}

func (c *City) AfterDelete(ctx context.Context) error { logHook("after delete", c); return nil }
