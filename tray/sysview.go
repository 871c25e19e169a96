//go:build linux || freebsd || openbsd || netbsd || windows || (darwin && cgo)

package tray

import "fyne.io/systray"

// sysView shows the model with systray. The menu is built once; later
// updates only change titles, checks, enabled and visible states, and only
// when they differ from what is shown (each change is a DBus signal).
type sysView struct {
	items  map[Key]*systray.MenuItem
	shown  map[Key]Item // what each item currently shows
	hidden map[Key]bool
	look   Look
}

// buildView creates every item of the menu skeleton: the top level and the
// Settings children as the model gives them, and for Collections a pool of
// MaxCollectionRows check rows plus a note row, hidden until used.
func buildView(title string, items []Item, look Look) *sysView {
	v := &sysView{items: map[Key]*systray.MenuItem{}, shown: map[Key]Item{}, hidden: map[Key]bool{}}
	systray.SetTitle(title)
	for _, it := range items {
		if it.Separator {
			systray.AddSeparator()
			continue
		}
		var m *systray.MenuItem
		if it.Checkable {
			m = systray.AddMenuItemCheckbox(menuLabel(it.Title), it.Tooltip, it.Checked)
		} else {
			m = systray.AddMenuItem(menuLabel(it.Title), it.Tooltip)
		}
		v.add(it, m)
		if !it.Submenu {
			continue
		}
		if it.Key == KeyCollections {
			for i := 0; i < MaxCollectionRows; i++ {
				v.add(Item{Key: CollectionRowKey(i)}, m.AddSubMenuItemCheckbox("", "", false))
			}
			v.add(Item{Key: KeyCollectionsNote}, m.AddSubMenuItem("", ""))
			continue
		}
		for _, ch := range it.Children {
			if ch.Checkable {
				v.add(ch, m.AddSubMenuItemCheckbox(menuLabel(ch.Title), ch.Tooltip, ch.Checked))
			} else {
				v.add(ch, m.AddSubMenuItem(menuLabel(ch.Title), ch.Tooltip))
			}
		}
	}
	v.show(items)
	v.setLook(look)
	return v
}

// add records a new item as showing it, enabled and visible, which is how
// systray creates it; show then corrects what differs.
func (v *sysView) add(it Item, m *systray.MenuItem) {
	v.items[it.Key] = m
	it.Enabled = true
	v.shown[it.Key] = it
}

func (v *sysView) show(items []Item) {
	want := map[Key]Item{}
	var collect func([]Item)
	collect = func(items []Item) {
		for _, it := range items {
			want[it.Key] = it
			collect(it.Children)
		}
	}
	collect(items)
	for k, m := range v.items {
		it, ok := want[k]
		if !ok {
			if !v.hidden[k] {
				m.Hide()
				v.hidden[k] = true
			}
			continue
		}
		v.update(k, m, it)
	}
}

func (v *sysView) update(k Key, m *systray.MenuItem, it Item) {
	old := v.shown[k]
	if v.hidden[k] {
		m.Show()
		v.hidden[k] = false
	}
	if it.Title != old.Title {
		m.SetTitle(menuLabel(it.Title))
	}
	if it.Tooltip != old.Tooltip {
		m.SetTooltip(it.Tooltip)
	}
	if it.Enabled != old.Enabled {
		if it.Enabled {
			m.Enable()
		} else {
			m.Disable()
		}
	}
	if it.Checked != old.Checked {
		if it.Checked {
			m.Check()
		} else {
			m.Uncheck()
		}
	}
	v.shown[k] = it
}

func (v *sysView) setLook(l Look) {
	if l.Icon != v.look.Icon {
		if png := l.Icon.PNG(); png != nil {
			systray.SetIcon(png)
		}
	}
	if l.Tooltip != v.look.Tooltip {
		systray.SetTooltip(l.Tooltip)
	}
	v.look = l
}
