package vault

import "fmt"

// Access is the level at which AI clients may use a secret.
type Access string

const (
	// AccessDeny hides the secret from AI clients.
	AccessDeny Access = "deny"
	// AccessUse lets an approved client use the secret through the runner.
	AccessUse Access = "use"
	// AccessReveal lets an approved client read the value.
	AccessReveal Access = "reveal"
)

// ParseAccess accepts exactly "deny", "use" or "reveal".
// It returns an error wrapping ErrInvalidName otherwise.
func ParseAccess(s string) (Access, error) {
	switch a := Access(s); a {
	case AccessDeny, AccessUse, AccessReveal:
		return a, nil
	}
	return "", fmt.Errorf("%w: access level %q: use deny, use or reveal", ErrInvalidName, s)
}

// accessCode is the one-byte encoding of an Access in the body.
func accessCode(a Access) byte {
	switch a {
	case AccessDeny:
		return 1
	case AccessUse:
		return 2
	case AccessReveal:
		return 3
	}
	return 0
}

func accessFromCode(c byte) (Access, bool) {
	switch c {
	case 1:
		return AccessDeny, true
	case 2:
		return AccessUse, true
	case 3:
		return AccessReveal, true
	}
	return "", false
}
