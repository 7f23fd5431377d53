"""The PostgreSQL server a benchmark runs against: DATABASE_URL when set, else a throwaway cluster
started by tests/support/pg-cluster (stopped by Cluster.stop()). Shared by the benchmarks."""
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


class Cluster:
    def __init__(self, work):
        self.handle = None
        self.url = os.environ.get("DATABASE_URL")
        if not self.url:
            self.handle = work / "cluster.handle"
            run([str(ROOT / "tests/support/pg-cluster"), "start", str(self.handle)],
                stdout=subprocess.DEVNULL)
            for line in self.handle.read_text().splitlines():
                if line.startswith("DATABASE_URL="):
                    self.url = line.split("=", 1)[1]
        self.count = 0

    def socket_url(self):
        """The same server over its Unix socket (how the embedded scratch server is reached);
        None when the server is DATABASE_URL's."""
        if not self.handle:
            return None
        facts = dict(line.split("=", 1) for line in self.handle.read_text().splitlines()
                     if "=" in line)
        return (f"postgresql://postgres@/postgres?host={facts['CLUSTER_DIR']}"
                f"&port={facts['PGPORT_NUMBER']}")

    def stop(self):
        if self.handle:
            run([str(ROOT / "tests/support/pg-cluster"), "stop", str(self.handle)],
                stdout=subprocess.DEVNULL)

    def logged_statements(self, db, cmd):
        """The statements the server logs (log_statement = all) while `cmd` runs against `db`;
        None when the server log is not ours to read (DATABASE_URL given)."""
        if not self.handle:
            return None
        cluster_dir = next(line.split("=", 1)[1] for line in self.handle.read_text().splitlines()
                           if line.startswith("CLUSTER_DIR="))
        log = Path(cluster_dir) / "server.log"
        self.sql(f"ALTER DATABASE {db} SET log_statement = 'all'")
        before = log.stat().st_size
        run(cmd, stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        with log.open("rb") as f:
            f.seek(before)
            text = f.read().decode(errors="replace")
        self.sql(f"ALTER DATABASE {db} RESET log_statement")
        return [line.split("LOG:  ", 1)[1].strip() for line in text.splitlines()
                if "LOG:  statement: " in line or "LOG:  execute" in line]

    def url_for(self, db):
        head, _, tail = self.url.rpartition("/")
        query = tail[tail.find("?"):] if "?" in tail else ""
        return head + "/" + db + query

    def sql(self, text):
        run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.url, "-c", text],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def fresh(self):
        self.count += 1
        name = f"strata_bench_{os.getpid()}_{self.count}"
        self.sql(f"CREATE DATABASE {name}")
        return name

    def drop(self, name):
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
