package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	startTimeout = 180 * time.Second
	stopTimeout  = 60 * time.Second
)

// jvmFlags size the JVM for a 2-core, 24 GiB machine (the page cache of
// 512 MiB is off-heap, set by the launcher) and open what Neo4j reflects on.
var jvmFlags = []string{
	"-Xms1g", "-Xmx1g",
	"-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+ExitOnOutOfMemoryError",
	"-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
	"-Dlog4j2.disable.jmx=true",
	"--add-opens=java.base/java.nio=ALL-UNNAMED",
	"--add-opens=java.base/java.io=ALL-UNNAMED",
	"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
	"--enable-native-access=ALL-UNNAMED",
}

// server is what DIR/server.json records about the running server. The same
// pid and URL are also in DIR/server.pid and DIR/server.url for shell use.
type server struct {
	PID     int    `json:"pid"`
	Version string `json:"version"`
	Spec    string `json:"spec"`
	Port    int    `json:"port"`
	APOC    bool   `json:"apoc"`
	URL     string `json:"url"`
	Log     string `json:"log"`
}

func stateFile(cfg config, name string) string { return filepath.Join(cfg.dir, name) }

// readServer returns the recorded server if its process is still alive.
func readServer(cfg config) (server, bool) {
	var s server
	b, err := os.ReadFile(stateFile(cfg, "server.json"))
	if err != nil || json.Unmarshal(b, &s) != nil {
		return s, false
	}
	return s, alive(s.PID)
}

func writeServer(cfg config, s server) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"server.json": append(b, '\n'),
		"server.pid":  []byte(strconv.Itoa(s.PID) + "\n"),
		"server.url":  []byte(s.URL + "\n"),
	}
	for name, data := range files {
		tmp := stateFile(cfg, name+".tmp")
		if err := os.WriteFile(tmp, data, 0o600); err != nil { // the URL holds the password
			return err
		}
		if err := os.Rename(tmp, stateFile(cfg, name)); err != nil {
			return err
		}
	}
	return nil
}

func removeServer(cfg config) {
	for _, name := range []string{"server.json", "server.pid", "server.url"} {
		_ = os.Remove(stateFile(cfg, name))
	}
}

// alive reports whether pid is a live process running our launcher (not a
// zombie, not a recycled pid).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return runtime.GOOS != "linux" // without /proc, trust kill(pid, 0)
	}
	return bytes.Contains(cmdline, []byte(launcherClass))
}

// lock takes an exclusive lock on DIR/lock, so that concurrent start, stop
// and reset calls run one after the other. Call the returned func to unlock.
func lock(cfg config) (func(), error) {
	if err := os.MkdirAll(cfg.dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(stateFile(cfg, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		info("waiting for another neo4j command to finish (lock %s)", f.Name())
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			return nil, err
		}
	}
	return func() { f.Close() }, nil
}

// localURL is the URL clients use, with the credentials in it.
func localURL(cfg config) string {
	u := url.URL{Scheme: "bolt", User: url.UserPassword("neo4j", cfg.password),
		Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.port))}
	return u.String()
}

// start makes sure a server answers and prints its URL as the last line on
// stdout.
func start(ctx context.Context, cfg config) error {
	if cfg.externalURL != "" {
		if err := ping(ctx, cfg, cfg.externalURL, 30*time.Second); err != nil {
			return fmt.Errorf("NEO4J_BOLT_URL does not answer: %w", err)
		}
		fmt.Println(cfg.externalURL)
		return nil
	}
	unlock, err := lock(cfg)
	if err != nil {
		return err
	}
	defer unlock()

	if s, ok := readServer(cfg); ok {
		if err := sameSettings(cfg, s); err != nil {
			return err
		}
		if err := ping(ctx, cfg, s.URL, 30*time.Second); err != nil {
			return fmt.Errorf("server pid %d runs but does not answer (%w); see %s, or run tools/neo4j/neo4j stop", s.PID, err, s.Log)
		}
		info("already running: Neo4j %s (pid %d)", s.Version, s.PID)
		fmt.Println(s.URL)
		return nil
	}
	removeServer(cfg)
	s, err := launch(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Println(s.URL)
	return nil
}

// sameSettings fails when the running server is not what cfg asks for, so
// that, say, an APOC test does not silently get a server without APOC.
func sameSettings(cfg config, s server) error {
	var diff string
	switch {
	case s.Spec != cfg.spec && s.Version != cfg.spec:
		diff = fmt.Sprintf("version %s, not %s", s.Version, cfg.spec)
	case s.Port != cfg.port:
		diff = fmt.Sprintf("port %d, not %d", s.Port, cfg.port)
	case s.APOC != cfg.apoc:
		diff = fmt.Sprintf("APOC %v, not %v", s.APOC, cfg.apoc)
	case s.URL != localURL(cfg):
		diff = "another password"
	default:
		return nil
	}
	return fmt.Errorf("the running server (pid %d) has %s: run tools/neo4j/neo4j stop first", s.PID, diff)
}

// launch fetches what is missing, starts the JVM detached and waits until it
// answers on Bolt.
func launch(ctx context.Context, cfg config) (server, error) {
	began := time.Now()
	jt, version, classes, err := prepareLaunch(ctx, cfg)
	if err != nil {
		return server{}, err
	}
	vdir := versionDir(cfg, version)
	home := filepath.Join(vdir, "home")
	logPath := filepath.Join(home, "logs", "console.log")
	logFile, err := prepareHome(home, logPath)
	if err != nil {
		return server{}, err
	}
	defer logFile.Close()

	cmd := exec.Command(jt.java, javaArgs(cfg, jt, vdir, home, classes)...) // not CommandContext: it outlives us
	cmd.Dir = vdir
	cmd.Env = append(os.Environ(), "NEO4J_PASSWORD="+cfg.password)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // own session: no signals from our terminal
	info("starting Neo4j %s on 127.0.0.1:%d (log %s)", version, cfg.port, logPath)
	if err := cmd.Start(); err != nil {
		return server{}, err
	}
	s := server{PID: cmd.Process.Pid, Version: version, Spec: cfg.spec, Port: cfg.port,
		APOC: cfg.apoc, URL: localURL(cfg), Log: logPath}
	if err := writeServer(cfg, s); err != nil {
		_ = terminate(s.PID, 0)
		return server{}, err
	}
	if err := waitReady(ctx, cfg, s, cmd, home); err != nil {
		return server{}, err
	}
	info("started Neo4j %s (pid %d) in %.1fs", version, s.PID, time.Since(began).Seconds())
	return s, nil
}

// prepareLaunch checks what can be checked before any download, then fetches
// what is missing: it returns the JDK, the version that cfg's spec resolves
// to, and the directory of the compiled launcher.
func prepareLaunch(ctx context.Context, cfg config) (jt javaTools, version, classes string, err error) {
	if err := portFree(cfg.port); err != nil {
		return jt, "", "", err
	}
	if _, _, err := mavenRange(cfg.spec); err != nil {
		return jt, "", "", err
	}
	// Check Java for the spec before any download (a range's newest version
	// is known only later; its line decides the Java it needs).
	if jt, err = findJava(ctx, javaNeeded(cfg.spec)); err != nil {
		return jt, "", "", err
	}
	if version, err = resolveVersion(ctx, cfg); err != nil {
		return jt, "", "", err
	}
	if err := ensureJars(ctx, cfg, version); err != nil {
		return jt, "", "", err
	}
	if classes, err = compileLauncher(ctx, cfg, jt); err != nil {
		return jt, "", "", err
	}
	return jt, version, classes, nil
}

// prepareHome readies the server's home for a start: the logs directory, no
// ready file left from an earlier run (the launcher writes it once Neo4j is
// up), and a fresh console log at logPath, which it returns open.
func prepareHome(home, logPath string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Join(home, "logs"), 0o755); err != nil {
		return nil, err
	}
	if err := os.Remove(readyFile(home)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return os.Create(logPath)
}

// readyFile is the file the launcher writes in home once Neo4j has started.
func readyFile(home string) string { return filepath.Join(home, "ready") }

// javaArgs is the JVM's command line: the flags, the class path (the
// launcher, Neo4j's jars and, with APOC, the plugins) and the launcher's own
// arguments.
func javaArgs(cfg config, jt javaTools, vdir, home, classes string) []string {
	args := append([]string{}, jvmFlags...)
	if jt.major >= 24 {
		args = append(args, "--sun-misc-unsafe-memory-access=allow")
	}
	classpath := []string{classes, filepath.Join(vdir, "lib", "*")}
	if cfg.apoc {
		// Like Neo4j's server: plugin jars go on the class path too, for the
		// kernel extensions (APOC's config) that ServiceLoader finds there.
		classpath = append(classpath, filepath.Join(vdir, "plugins", "*"))
	}
	args = append(args, "-cp", strings.Join(classpath, string(os.PathListSeparator)),
		launcherClass, home, strconv.Itoa(cfg.port))
	if cfg.apoc {
		args = append(args, filepath.Join(vdir, "plugins"))
	}
	return args
}

// waitReady waits until the server that cmd started answers on Bolt. When
// it exits first, does not answer in time, or ctx ends, it stops the
// process, forgets the server and fails, with the end of the console log on
// stderr.
func waitReady(ctx context.Context, cfg config, s server, cmd *exec.Cmd, home string) error {
	ready := readyFile(home)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	fail := func(reason string) error {
		_ = terminate(s.PID, 10*time.Second)
		removeServer(cfg)
		b, _ := os.ReadFile(s.Log)
		fmt.Fprintf(os.Stderr, "--- last lines of %s ---\n%s\n---\n", s.Log, tail(string(b), 40))
		return fmt.Errorf("%s (Neo4j's own log: %s)", reason, filepath.Join(home, "logs", "debug.log"))
	}
	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			return fail(fmt.Sprintf("Neo4j exited during startup (%v)", err))
		case <-deadline.C:
			return fail(fmt.Sprintf("Neo4j did not answer within %s", startTimeout))
		case <-ctx.Done():
			return fail("interrupted")
		case <-tick.C:
			if !exists(ready) {
				continue
			}
			if err := ping(ctx, cfg, s.URL, 5*time.Second); err != nil {
				continue
			}
			return nil
		}
	}
}

// portFree fails when something already listens on 127.0.0.1:port.
func portFree(port int) error {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("port %d on 127.0.0.1 is busy (another program, or a server not started by this tool): set NEO4J_BOLT_PORT to another port (%v)", port, err)
	}
	return ln.Close()
}

// terminate sends SIGTERM to the process group of pid, waits up to grace for
// it to exit, then kills it.
func terminate(pid int, grace time.Duration) error {
	signalGroup(pid, syscall.SIGTERM)
	if waitGone(pid, grace) {
		return nil
	}
	info("pid %d did not stop within %s: killing it", pid, grace)
	return kill(pid)
}

// kill sends SIGKILL to the process group of pid and waits for it to exit.
func kill(pid int) error {
	signalGroup(pid, syscall.SIGKILL)
	if waitGone(pid, 10*time.Second) {
		return nil
	}
	return fmt.Errorf("pid %d survived SIGKILL", pid)
}

func signalGroup(pid int, sig syscall.Signal) {
	if err := syscall.Kill(-pid, sig); err != nil { // the JVM leads its own group
		_ = syscall.Kill(pid, sig)
	}
}

func waitGone(pid int, d time.Duration) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if !alive(pid) {
			return true
		}
	}
	return !alive(pid)
}

// stopServer stops the server: cleanly (SIGTERM, then SIGKILL after
// stopTimeout), or with crash set at once with SIGKILL, as a crash would,
// leaving the store for the next start to recover.
func stopServer(cfg config, crash bool) error {
	if cfg.externalURL != "" {
		info("NEO4J_BOLT_URL is set: that server is not ours to stop")
		return nil
	}
	unlock, err := lock(cfg)
	if err != nil {
		return err
	}
	defer unlock()
	s, ok := readServer(cfg)
	if !ok {
		removeServer(cfg)
		info("not running")
		return nil
	}
	began := time.Now()
	if crash {
		info("killing Neo4j %s (pid %d) with SIGKILL: no clean shutdown", s.Version, s.PID)
		err = kill(s.PID)
	} else {
		info("stopping Neo4j %s (pid %d)", s.Version, s.PID)
		err = terminate(s.PID, stopTimeout)
	}
	if err != nil {
		return err
	}
	removeServer(cfg)
	info("stopped in %.1fs", time.Since(began).Seconds())
	return nil
}

func status(ctx context.Context, cfg config) error {
	if cfg.externalURL != "" {
		if err := ping(ctx, cfg, cfg.externalURL, 10*time.Second); err != nil {
			fmt.Println("stopped")
			info("NEO4J_BOLT_URL does not answer: %v", err)
			return exitError{3}
		}
		fmt.Printf("running %s (external: NEO4J_BOLT_URL)\n", cfg.externalURL)
		return nil
	}
	s, ok := readServer(cfg)
	if !ok {
		fmt.Println("stopped")
		return exitError{3}
	}
	apoc := ""
	if s.APOC {
		apoc = ", with APOC"
	}
	fmt.Printf("running %s (pid %d, version %s%s)\n", s.URL, s.PID, s.Version, apoc)
	return nil
}

func printURL(cfg config) error {
	if cfg.externalURL != "" {
		fmt.Println(cfg.externalURL)
		return nil
	}
	s, ok := readServer(cfg)
	if !ok {
		return errors.New("no server running: run tools/neo4j/neo4j start")
	}
	fmt.Println(s.URL)
	return nil
}
