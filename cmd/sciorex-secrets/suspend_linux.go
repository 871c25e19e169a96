package main

import (
	"context"

	"github.com/godbus/dbus/v5"
)

// lockOnSuspend locks the vault when logind announces that the machine is
// going to sleep (PrepareForSleep on the system bus). Without a system bus
// or logind it does nothing: idle auto-lock still counts time asleep.
func lockOnSuspend(ctx context.Context, lock func(), logf func(string, ...any)) {
	conn, err := dbus.SystemBusPrivate()
	if err != nil {
		return
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return
	}
	if err := conn.AddMatchSignal(
		dbus.WithMatchInterface("org.freedesktop.login1.Manager"),
		dbus.WithMatchMember("PrepareForSleep"),
	); err != nil {
		conn.Close()
		return
	}
	signals := make(chan *dbus.Signal, 4)
	conn.Signal(signals)
	go func() {
		defer conn.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case sig := <-signals:
				if sig == nil {
					return
				}
				if len(sig.Body) == 1 && sig.Body[0] == true {
					logf("system going to sleep: locking")
					lock()
				}
			}
		}
	}()
}
