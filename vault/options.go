package vault

import "fmt"

// DefaultCollection holds secrets put without a collection.
const DefaultCollection = "default"

// Options configure Create.
type Options struct {
	KDF           KDFParams    // zero value: DefaultKDF()
	Collections   []Collection // created with the vault
	DefaultAccess Access       // for collections created implicitly; "": AccessUse
}

func (o Options) model() (*model, KDFParams, error) {
	kdf := o.KDF
	if kdf == (KDFParams{}) {
		kdf = DefaultKDF()
	}
	if err := kdf.validate(); err != nil {
		return nil, kdf, err
	}
	m := &model{defaultAccess: AccessUse}
	m.reindex()
	if o.DefaultAccess != "" {
		a, err := ParseAccess(string(o.DefaultAccess))
		if err != nil {
			return nil, kdf, err
		}
		m.defaultAccess = a
	}
	for _, c := range o.Collections {
		if err := m.putCollection(c); err != nil {
			return nil, kdf, fmt.Errorf("collection %q: %w", c.Name, err)
		}
	}
	return m, kdf, nil
}
