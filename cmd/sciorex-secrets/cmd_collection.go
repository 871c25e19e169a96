package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/sciorex/sciorex-secrets/session"
)

func runCollection(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("collection needs list, add, describe or tag")
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "list":
		return collectionList(ctx, env, rest)
	case "add":
		return collectionAdd(ctx, env, rest)
	case "describe":
		fs := newFlags("collection describe")
		pos, _, err := parse(fs, rest)
		if err != nil {
			return err
		}
		if len(pos) != 2 {
			return usagef("collection describe needs NAME and DESCRIPTION")
		}
		return putCollection(ctx, env, session.CollectionRequest{Name: pos[0], Description: &pos[1]})
	case "tag":
		fs := newFlags("collection tag")
		pos, _, err := parse(fs, rest)
		if err != nil {
			return err
		}
		if len(pos) < 2 {
			return usagef("collection tag needs NAME and at least one TAG")
		}
		return putCollection(ctx, env, session.CollectionRequest{Name: pos[0], Tags: pos[1:]})
	}
	return usagef("unknown collection command %q: use list, add, describe or tag", args[0])
}

func collectionList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("collection list")
	asJSON := fs.Bool("json", false, "print JSON")
	if pos, _, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("collection list takes no arguments")
	}
	var cols []session.CollectionInfo
	if err := call(ctx, "", "sciorex/collections", nil, &cols); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, cols)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSECRETS\tACCESS\tTAGS\tDESCRIPTION")
	for _, c := range cols {
		desc, _, _ := strings.Cut(c.Description, "\n")
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", c.Name, c.Secrets, c.Access, strings.Join(c.Tags, ","), desc)
	}
	return tw.Flush()
}

func collectionAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("collection add")
	r := session.CollectionRequest{Create: true}
	var tags listFlag
	desc := fs.String("description", "", "what the collection is for")
	fs.Var(&tags, "tag", "a tag (repeatable)")
	fs.StringVar(&r.Access, "access", "", "default AI access of its new secrets: deny, use, reveal")
	pos, _, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("collection add needs exactly one NAME")
	}
	r.Name, r.Tags = pos[0], tags
	if *desc != "" {
		r.Description = desc
	}
	return putCollection(ctx, env, r)
}

func putCollection(ctx context.Context, env *Env, r session.CollectionRequest) error {
	var c session.CollectionInfo
	if err := call(ctx, "", "sciorex/collection", r, &c); err != nil {
		return err
	}
	tags := ""
	if len(c.Tags) > 0 {
		tags = ", tags " + strings.Join(c.Tags, ",")
	}
	fmt.Fprintf(env.Stdout, "collection %s: access %s%s, %s\n", c.Name, c.Access, tags, count(c.Secrets, "secret"))
	return nil
}
