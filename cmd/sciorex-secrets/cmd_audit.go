package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sciorex/sciorex-secrets/audit"
	"github.com/sciorex/sciorex-secrets/dialogs"
	"github.com/sciorex/sciorex-secrets/session"
	"github.com/sciorex/sciorex-secrets/vault"
)

func runAudit(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("audit needs verify or tail")
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(ctx, env, args[1:])
	case "tail":
		return runAuditTail(ctx, env, args[1:])
	}
	return usagef("unknown audit command %q: use verify or tail", args[0])
}

func runAuditVerify(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("audit verify")
	vaultFlag := fs.String("vault", "", "vault file")
	pwStdin := fs.Bool("password-stdin", false, "read the master password from stdin")
	chainOnly := fs.Bool("chain-only", false, "check the hash chain only, without the password (MACs unchecked)")
	if _, _, err := parse(fs, args); err != nil {
		return err
	}
	var v auditVerdict
	var err error
	if !*chainOnly && !*pwStdin && *vaultFlag == "" {
		v, err = auditVerifyByAgent(ctx)
	}
	if v.by == "" && err == nil {
		v, err = auditVerifyHere(ctx, env, resolvePaths(env, *vaultFlag), *pwStdin, *chainOnly)
	}
	if err != nil {
		return err // a changed trail wraps session.ErrTampered: exit 11
	}
	macs, against := "MACs checked", "the vault holds no checkpoint yet"
	switch {
	case !v.keyed:
		macs, against = "MACs NOT checked (no key)", "not checked against the vault's checkpoint (no password)"
	case v.Checkpoint > 0:
		against = fmt.Sprintf("checked against the vault's checkpoint at record %d", v.Checkpoint)
	}
	fmt.Fprintf(env.Stdout, "audit trail intact: %d records in %d files, %s, %d written while locked, %s%s\n",
		v.Records, v.Files, macs, v.Unsealed, against, v.by)
	return nil
}

// auditVerdict is an intact trail as one of the two ways of checking it
// found it.
type auditVerdict struct {
	session.AuditReport
	keyed bool   // MACs and checkpoint checked
	by    string // who checked, when not this process
}

// auditVerifyByAgent asks the running, unlocked agent to verify the trail:
// it holds the key, so no password is asked. A verdict with an empty by
// (and no error) means there is no such agent.
func auditVerifyByAgent(ctx context.Context) (auditVerdict, error) {
	dctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c, err := dial(dctx, "")
	if err != nil {
		return auditVerdict{}, nil
	}
	defer c.Close()
	var rep session.AuditReport
	switch err := c.Call(ctx, "sciorex/audit_verify", nil, &rep); {
	case errors.Is(err, session.ErrLocked):
		return auditVerdict{}, nil
	case err != nil:
		return auditVerdict{}, err
	}
	return auditVerdict{AuditReport: rep, keyed: true, by: " (verified by the running agent)"}, nil
}

// auditVerifyHere verifies the trail in this process: with the key from
// the master password, or the hash chain alone.
func auditVerifyHere(ctx context.Context, env *Env, p Paths, pwStdin, chainOnly bool) (auditVerdict, error) {
	var ck auditCheck
	if !chainOnly {
		c, err := readAuditCheck(ctx, env, p, pwStdin)
		if err != nil {
			return auditVerdict{}, err
		}
		ck = c
		defer clear(ck.key)
	}
	rep, err := audit.VerifyWith(p.Audit, ck.key, audit.VerifyOptions{MinSeq: ck.seq, HeadMAC: ck.mac})
	var ve *audit.VerifyError
	switch {
	case errors.As(err, &ve):
		return auditVerdict{}, fmt.Errorf("%w: %v", session.ErrTampered, err)
	case err != nil:
		return auditVerdict{}, err
	}
	return auditVerdict{AuditReport: session.AuditReport{Records: rep.Records, Files: len(rep.Files),
		Unsealed: rep.Unsealed, Checkpoint: ck.seq}, keyed: rep.MACsChecked}, nil
}

// auditCheck is what "audit verify" needs from the vault: the audit MAC
// key and the vault's audit checkpoint (seq 0 for none).
type auditCheck struct {
	key []byte
	seq uint64
	mac string
}

// readAuditCheck unlocks the vault file read-only to derive the audit MAC
// key and read the audit checkpoint. The caller wipes the key.
func readAuditCheck(ctx context.Context, env *Env, p Paths, pwStdin bool) (auditCheck, error) {
	v, err := vault.Open(p.Vault)
	if err != nil {
		return auditCheck{}, err
	}
	var pw []byte
	if pwStdin {
		pw, err = readSecretLine(env.Stdin, "master password")
	} else {
		cfg, _ := loadConfig(p.Config)
		ui := dialogs.Auto(dialogs.Env{Askpass: cfg.Askpass, Getenv: env.Getenv, Stderr: env.Stderr})
		pw, err = ui.Password(ctx, session.PasswordPrompt{Vault: p.Vault, Purpose: "verify the audit trail"})
	}
	if err != nil {
		return auditCheck{}, err
	}
	defer clear(pw)
	if err := v.Unlock(pw); err != nil {
		return auditCheck{}, err
	}
	defer v.Lock()
	seq, mac, err := v.AuditCheckpoint()
	if err != nil {
		return auditCheck{}, err
	}
	key, err := v.DeriveKey(session.AuditKeyPurpose)
	if err != nil {
		return auditCheck{}, err
	}
	return auditCheck{key: key, seq: seq, mac: mac}, nil
}

func runAuditTail(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("audit tail")
	vaultFlag := fs.String("vault", "", "vault file")
	n := fs.Int("n", 20, "number of records")
	follow := fs.Bool("follow", false, "keep printing new records")
	asJSON := fs.Bool("json", false, "print JSON lines")
	if _, _, err := parse(fs, args); err != nil {
		return err
	}
	p := resolvePaths(env, *vaultFlag)
	print := func(r audit.Record) {
		if *asJSON {
			b, _ := json.Marshal(r)
			fmt.Fprintln(env.Stdout, string(b))
			return
		}
		fmt.Fprintln(env.Stdout, audit.Format(r))
	}
	recs, err := audit.ReadLast(p.Audit, *n)
	if err != nil {
		return err
	}
	for _, r := range recs {
		print(r)
	}
	if *follow {
		err := audit.Follow(ctx, p.Audit, print)
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	return nil
}
