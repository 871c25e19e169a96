// Command genicons draws the tray icons into a directory as 32x32 PNGs:
// a padlock, closed or open, with an optional coloured dot. Run it through
// "go generate ./tray" after changing a shape; the PNGs are committed.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

const (
	size    = 32
	samples = 4 // supersampling per axis, for smooth edges
)

var (
	lockColor    = color.NRGBA{0x46, 0x55, 0x66, 0xff}
	pendingColor = color.NRGBA{0xf5, 0xa6, 0x23, 0xff}
	alertColor   = color.NRGBA{0xe0, 0x35, 0x35, 0xff}
	ringColor    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

type badge int

const (
	noBadge badge = iota
	pendingBadge
	alertBadge
)

func main() {
	out := flag.String("out", "icons", "directory to write the PNGs into")
	flag.Parse()
	icons := []struct {
		name  string
		open  bool
		badge badge
	}{
		{"locked", false, noBadge},
		{"unlocked", true, noBadge},
		{"locked-pending", false, pendingBadge},
		{"unlocked-pending", true, pendingBadge},
		{"locked-ratelimited", false, alertBadge},
		{"unlocked-ratelimited", true, alertBadge},
	}
	for _, ic := range icons {
		if err := write(filepath.Join(*out, ic.name+".png"), draw(ic.open, ic.badge)); err != nil {
			fmt.Fprintln(os.Stderr, "genicons:", err)
			os.Exit(1)
		}
	}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// draw renders the icon by averaging samples*samples points per pixel.
func draw(open bool, b badge) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, bl, a float64
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					x := float64(px) + (float64(sx)+0.5)/samples
					y := float64(py) + (float64(sy)+0.5)/samples
					if c, ok := shade(x, y, open, b); ok {
						r += float64(c.R)
						g += float64(c.G)
						bl += float64(c.B)
						a++
					}
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{uint8(r / a), uint8(g / a), uint8(bl / a), uint8(255 * a / samples / samples)})
		}
	}
	return img
}

// shade returns the colour at point (x, y), topmost layer first.
func shade(x, y float64, open bool, b badge) (color.NRGBA, bool) {
	if b != noBadge {
		d := math.Hypot(x-25, y-7)
		switch {
		case d <= 5:
			if b == pendingBadge {
				return pendingColor, true
			}
			return alertColor, true
		case d <= 6.5:
			return ringColor, true
		}
	}
	if inBody(x, y) {
		if math.Hypot(x-16, y-20) <= 2 || (x >= 15.2 && x <= 16.8 && y >= 20 && y <= 24.5) {
			return color.NRGBA{}, false // keyhole
		}
		return lockColor, true
	}
	if inShackle(x, y, open) {
		return lockColor, true
	}
	return color.NRGBA{}, false
}

func inBody(x, y float64) bool {
	const left, right, top, bottom, radius = 6, 26, 14, 29, 2.5
	if x < left || x > right || y < top || y > bottom {
		return false
	}
	cx := math.Max(left+radius, math.Min(x, right-radius))
	cy := math.Max(top+radius, math.Min(y, bottom-radius))
	return math.Hypot(x-cx, y-cy) <= radius
}

// inShackle: a half ring over two legs; open, it is lifted and its left leg
// stops short of the body.
func inShackle(x, y float64, open bool) bool {
	cx, cy, outer, inner := 16.0, 10.0, 7.0, 4.0
	legEnd := 14.0
	leftEnd := legEnd
	if open {
		cy = 7
		leftEnd = 10
	}
	if y <= cy {
		d := math.Hypot(x-cx, y-cy)
		return d <= outer && d >= inner
	}
	if x >= cx-outer && x <= cx-inner {
		return y <= leftEnd
	}
	if x >= cx+inner && x <= cx+outer {
		return y <= legEnd
	}
	return false
}
