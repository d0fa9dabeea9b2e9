# Run by the sh-runtime layer's bootstrap; `upper` is the layer's /opt/bin/upper, found on PATH.
handler() {
  TEXT="$(printf '%s' "$1" | sed -n 's/.*"text" *: *"\([^"]*\)".*/\1/p')"
  [ -n "$TEXT" ] || return 1
  printf '{"shout":"%s!"}' "$(printf '%s' "$TEXT" | upper)"
}
