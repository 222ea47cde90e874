#!/usr/bin/env bash
# Writes the screen snapshot references again (Tests/KioskDrawingTests/Snapshots), after an intended change to the screens.
# Look at the images (git diff shows which changed) before committing them.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
SNAPSHOT_UPDATE=1 swift test --skip-build --filter 'ScreenRendererTests/snapshotsMatchTheReferences'
git status --short Tests/KioskDrawingTests/Snapshots | head -20
