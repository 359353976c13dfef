#!/usr/bin/env python3
"""Edit-to-browser latency of `gongkai serve` on a generated site.

    python3 bench/serve_latency.py [NOTICES] [EDITS]

Generates a deterministic corpus (examples/corpus.rs), starts `gongkai serve`,
listens to its live-reload stream like a browser, then edits one notice at a time
and measures from the file write until the changed page has been fetched (what a
browser does on the reload event), and until the search index has been rewritten
(serve says so on standard error). Prints medians and 90th percentiles.
"""
import json, os, re, socket, statistics, subprocess, sys, tempfile, threading, time, queue

notices = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
edits = int(sys.argv[2]) if len(sys.argv) > 2 else 21
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "gongkai", "--example", "corpus"], cwd=repo, check=True)
site = tempfile.mkdtemp(prefix="gongkai-bench-")
subprocess.run([f"{repo}/target/release/examples/corpus", site, str(notices)], check=True)

server = subprocess.Popen([f"{repo}/target/release/gongkai", "--root", site, "serve", "--port", "0"],
                          stderr=subprocess.PIPE, text=True)
port = None
for line in server.stderr:
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if m:
        port = int(m.group(1))
        break
    print(line, end="", file=sys.stderr)
index_written = queue.Queue()
def read_log():
    for line in server.stderr:
        if line.startswith("search index updated"):
            index_written.put(time.perf_counter())
threading.Thread(target=read_log, daemon=True).start()

events = queue.Queue()
def listen():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__gongkai/events HTTP/1.1\r\nHost: x\r\n\r\n")
    buf = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            return
        buf += chunk
        while b"\n\n" in buf:
            msg, buf = buf.split(b"\n\n", 1)
            for line in msg.split(b"\n"):
                if line.startswith(b"data:"):
                    events.put((time.perf_counter(), json.loads(line[5:]).get("pages")))
threading.Thread(target=listen, daemon=True).start()
events.get(timeout=30)  # the current generation, sent on connect

def fetch(path):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk

files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content", "notices")) for f in fs if f.endswith(".md"))
times, index_times = [], []
for k in range(edits):
    path = files[(k * 7919) % len(files)]
    rel = os.path.relpath(path, os.path.join(site, "content"))
    url = "/" + (os.path.dirname(rel) if rel.endswith("index.md") else rel[:-3]) + "/"
    marker = f"基准修改标记{k}"
    with open(path, encoding="utf-8") as f:
        text = f.read()
    start = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + f"\n{marker}\n")
    # The event that names the edited page (the browser showing it reloads).
    while url[1:] + "index.html" not in (events.get(timeout=60)[1] or []):
        pass
    page = fetch(url)
    end = time.perf_counter()
    assert marker.encode() in page, f"{url} does not show the change"
    times.append((end - start) * 1000)
    index_times.append((index_written.get(timeout=300) - start) * 1000)

server.terminate()
times.sort()
print(f"notices: {notices}, edits: {edits}")
p90 = lambda t: t[max(0, int(len(t) * 0.9) - 1)]
print(f"edit -> page shown: median {statistics.median(times):.0f} ms, p90 {p90(times):.0f} ms, max {times[-1]:.0f} ms")
index_times.sort()
print(f"edit -> search index rewritten: median {statistics.median(index_times):.0f} ms, p90 {p90(index_times):.0f} ms (it starts after 200 ms without edits; an edit that keeps every notice in place adds a small part, other edits write the index whole after 500 ms)")
