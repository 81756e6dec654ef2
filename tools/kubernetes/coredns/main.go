// A CoreDNS with only the plugins the node probe needs to answer Service names from the API
// server (tools/kubernetes/node-probe.sh, docs/api-server.md "The node step"), built from the Go
// module proxy at the version go.mod pins: the kubernetes plugin, bind, errors and log.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
)

// The order in which the plugins see a query, as CoreDNS's own plugin.cfg orders them.
func init() {
	dnsserver.Directives = []string{"bind", "errors", "log", "kubernetes"}
}

func main() { coremain.Run() }
