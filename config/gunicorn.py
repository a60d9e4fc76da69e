"""gunicorn settings, from the environment. Used by the Dockerfile, compose.yaml,
`make bench` and CI's production smoke test alike."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# gunicorn's default request line (4094 bytes) answers a long search with its
# own bare 414; let the site answer it with its 400 page (a search is at most
# 200 characters, up to ~2,400 bytes percent-encoded). 8190 is gunicorn's
# maximum and nginx's default line buffer (large_client_header_buffers 8k).
limit_request_line = 8190
# Workers are recycled now and then (a guard against slow leaks), rarely: a new
# worker starts with empty process memory, so while Redis is down it renders
# its pages and rebuilds the derived data again. Recycling every 2,000
# requests meant a new worker every ~5 s per worker under load, and cost about
# half of the throughput with Redis down (make bench). The application is
# loaded once in the master (preload_app), so a new worker is a fork, not a
# fresh import of Django.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
preload_app = True
# Trust X-Forwarded-* only from the proxy in front (its address, or * inside a
# private network where only the proxy can reach us).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Every line gunicorn writes is one JSON object, as the app's own are: its
# error log (start-up, worker timeouts, escaped tracebacks) and its access log
# (fields, not a preformatted string, so quotes in a path cannot break it).
logger_class = "config.gunicorn_logging.JsonLogger"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "roles.core.logging.JsonFormatter"}},
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {
            "handlers": ["access"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
