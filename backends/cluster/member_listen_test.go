package cluster

import "testing"

// A member may listen for clients on another address than the one it
// advertises (0.0.0.0 behind a name): listen_client passes through.
func TestMemberListensForClientsWhereTold(t *testing.T) {
	c := MemberConfig{Name: "n1", DataDir: t.TempDir(), PeerURL: "http://127.0.0.1:12380",
		ClientURL: "http://127.0.0.1:12379", ListenClientURL: "http://0.0.0.0:12379",
		Peers: map[string]string{"n1": "http://127.0.0.1:12380"}}
	cfg, err := embedConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.ListenClientUrls[0].String(); got != c.ListenClientURL {
		t.Errorf("listens for clients on %s, want %s", got, c.ListenClientURL)
	}
	if got := cfg.AdvertiseClientUrls[0].String(); got != c.ClientURL {
		t.Errorf("advertises %s, want %s", got, c.ClientURL)
	}
	c.ListenClientURL = ""
	if cfg, err = embedConfig(c); err != nil {
		t.Fatal(err)
	}
	if got := cfg.ListenClientUrls[0].String(); got != c.ClientURL {
		t.Errorf("without a listen URL it listens on %s, want the client URL %s", got, c.ClientURL)
	}
	c.ListenClientURL = "nonsense"
	if _, err := embedConfig(c); err == nil {
		t.Error("a listen client URL without scheme and host was accepted")
	}
}
