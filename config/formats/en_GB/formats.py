"""British dates with 24-hour times for the whole site and the admin (Django's
en_GB formats use the 12-hour "4:05 p.m."); every other format is Django's."""

DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
