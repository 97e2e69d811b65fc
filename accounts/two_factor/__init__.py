"""Two-factor sign-in: an authenticator app (TOTP) plus one-time recovery codes, on django-otp.

services.py   turning it on, off, new recovery codes, checking a second factor
pending.py    a log-in that passed the password and waits for the second factor (session)
forms.py, views.py, urls.py   the settings pages and the log-in's second step
"""
