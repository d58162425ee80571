package infer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gonode/gonode/ogm"
	"github.com/gonode/gonode/schema"
)

// direction declares r, a relationship of n, with direction both when
// Options.BothDirections lists its type. The database stores every
// relationship one way, so whether an app reads a type either way
// (neomodel's Relationship, gonode's direction: both) is not in the data;
// for a type between nodes of one type, the likeliest case, the schema
// says so in a comment and Notice.
func (b *builder) direction(n *schema.Node, r *schema.Relationship) {
	switch {
	case b.both[r.Type]:
		r.Direction, r.Cardinality = ogm.Both, ogm.ZeroOrMore
		r.Comments.Line = []string{"direction both as asked (--direction-both): read either way; stored one way per pair"}
	case r.To == n:
		flag := r.Type
		if strconv.Quote(flag) != `"`+flag+`"` || strings.ContainsAny(flag, " '") {
			flag = strconv.Quote(flag)
		}
		note := fmt.Sprintf("stored one way per pair: if the app reads %s either way (neomodel's Relationship), declare direction: both (inspect-database --direction-both %s)", strconv.Quote(r.Type), flag)
		r.Comments.Line = append(r.Comments.Line, note)
		if b.notice != nil {
			b.notice(fmt.Sprintf("%s.%s: %s", n.Name, r.Name, note))
		}
	}
}
