#!/bin/sh
# rebuild.sh — rebuild every briefing in layouts/ whose inputs changed.
# cron and systemd run this (see crontab and brief.service beside it);
# brief prints only errors (-q), and they go to logs/brief.log.
cd "$(dirname "$0")/.." || exit 1
exec @BRIEF_BIN_SH@ build --if-changed -q layouts/*.md >>logs/brief.log 2>&1
