#!/bin/sh
# Generate the build system; configure and Makefile.in are never committed.
set -e
cd "$(dirname "$0")"
exec autoreconf -fi
