"""gunicorn's logger, writing its access log as fields for the JSON formatter."""

from gunicorn.glogging import Logger


class JsonLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        request_id = next(
            (v for k, v in resp.headers if k.lower() == "x-request-id"), "-"
        )
        self.access_log.info(
            "request",
            extra={
                "remote": atoms["h"],
                "method": atoms["m"],
                "path": atoms["U"],
                "query": atoms["q"],
                "status": atoms["s"],
                "bytes": atoms["B"],
                "duration_ms": atoms["M"],
                "request_id": request_id,
            },
        )
