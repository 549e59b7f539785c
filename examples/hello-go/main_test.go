package main

import (
	"os/exec"
	"strings"
	"testing"
)

func TestPrintsLinkedVersion(t *testing.T) {
	out, err := exec.Command("go", "run", "-ldflags", "-X main.version=1.2.3", ".", "-version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != "1.2.3" {
		t.Fatalf("version = %q, want 1.2.3", got)
	}
}
