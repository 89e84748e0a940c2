"""HTTP client shared by upload_to_ready.py and backlog_run.py: the admin's session (cookie + CSRF header, as
the page signs in), users, and multipart bodies of the corpus's 12 MP photographs. Standard library only."""
import glob, http.client, http.cookies, json, os, sys, urllib.parse

BOUNDARY = "----avatars-bench"


def photo_bodies(corpus):
    photos = sorted(glob.glob(os.path.join(corpus, "12mp-*.jpg")))
    if not photos:
        sys.exit(f"no 12mp-*.jpg in {corpus}")
    bodies = []
    for p in photos:
        with open(p, "rb") as f:
            data = f.read()
        bodies.append(b"--" + BOUNDARY.encode() + b"\r\n"
                      b'Content-Disposition: form-data; name="file"; filename="photo.jpg"\r\n'
                      b"Content-Type: image/jpeg\r\n\r\n" + data + b"\r\n--" + BOUNDARY.encode() + b"--\r\n")
    return bodies


class Client:
    """One keep-alive connection to one app; clients of the same app may share one cookie jar (the admin's
    session, read-only after sign-in)."""

    def __init__(self, base, cookies=None):
        self.url = urllib.parse.urlsplit(base)
        self.cookies = {} if cookies is None else cookies
        self.conn = self._connect()

    def _connect(self):
        return http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=600)

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "XSRF-TOKEN" in self.cookies:
                h["X-XSRF-TOKEN"] = self.cookies["XSRF-TOKEN"]
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = self._connect()
                if attempt:
                    raise
        for value in r.headers.get_all("Set-Cookie") or []:
            for k, m in http.cookies.SimpleCookie(value).items():
                self.cookies[k] = m.value
        return r.status, data

    def upload(self, user, body):
        return self.request("POST", f"/api/users/{user}/avatar", body,
                            {"Content-Type": "multipart/form-data; boundary=" + BOUNDARY})


def sign_in(base, username, password):
    c = Client(base)
    c.request("GET", "/api/session")
    status, body = c.request("POST", "/api/session", json.dumps({"username": username, "password": password}),
                             {"Content-Type": "application/json"})
    if status >= 300:
        sys.exit(f"sign-in failed: {status} {body[:200]}")
    c.request("GET", "/api/session")  # the CSRF token may be renewed after sign-in
    return c


def make_users(c, n, prefix):
    ids = []
    for i in range(n):
        status, body = c.request("POST", "/api/users", json.dumps(
            {"username": f"{prefix}{i}", "displayName": f"{prefix} {i}", "password": f"{prefix} password {i}"}),
            {"Content-Type": "application/json"})
        if status != 201:
            sys.exit(f"create user: {status} {body[:200]}")
        ids.append(json.loads(body)["id"])
    return ids


def load1():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]
