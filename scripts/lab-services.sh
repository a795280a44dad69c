# certlab lab services — the single native description of the topology in
# compose/docker-compose.yml. Sourced by scripts/lab.sh; scripts/check-compose.py
# compares `scripts/lab.sh command NAME` with the compose file's `command:` for
# every service, so the two cannot drift apart.
#
# Every command runs from the repository root with paths relative to it. The
# image uses the same layout under /certlab, so compose's commands are the same
# strings; only the node URL, listen address and ports come from environment
# variables (CERTLAB_ROOT, CERTLAB_NODE_URL, CERTLAB_NETWORK_HOST, CERTLAB_HTTP_PORT,
# CERTLAB_ADMIN_HEALTH_PORT).

# In start order; each one waits for the health condition of the one before.
LAB_ALL_SERVICES="certs search-node security-admin log-generator beats-shipper"

# The Swift product (executable) a service runs.
lab_service_product() {
  case "$1" in
    certs) echo cert-issuer ;;
    search-node) echo search-node ;;
    security-admin) echo security-admin ;;
    log-generator | beats-shipper) echo beats-shipper ;;
    *) return 1 ;;
  esac
}

# The service's argv, one word per line; the first word is the product name.
lab_service_command() {
  local words
  case "$1" in
    certs)
      words=(cert-issuer init --plan config/certs.yml --out certs) ;;
    search-node)
      # Absolute: search-node resolves a relative --data against config/, not the working dir.
      words=(search-node run --config config/node.yml --security-config config/security
             --data "${CERTLAB_ROOT}/.lab/data/search-node") ;;
    security-admin)
      words=(security-admin serve --config-dir config/security --url "${CERTLAB_NODE_URL}"
             --cacert certs/root-ca.pem --cert certs/admin.pem --key certs/admin-key.pem
             --watch --health-port "${CERTLAB_ADMIN_HEALTH_PORT}") ;;
    log-generator)
      words=(beats-shipper generate-logs --output .lab/logs/access.log
             --count "${CERTLAB_LOG_COUNT}" --rate "${CERTLAB_LOG_RATE}") ;;
    beats-shipper)
      words=(beats-shipper -c config/shipper.yml --path.data .lab/data/beats-shipper -e) ;;
    *) return 1 ;;
  esac
  printf '%s\n' "${words[@]}"
}

# Defaults shared with compose/.env (the checker compares them). CERTLAB_ROOT is the
# repository root natively and /certlab in the image.
: "${CERTLAB_ROOT:=$PWD}"
: "${CERTLAB_HTTP_PORT:=9200}"
: "${CERTLAB_ADMIN_HEALTH_PORT:=9601}"
: "${CERTLAB_LOG_COUNT:=1000000}"
: "${CERTLAB_LOG_RATE:=5}"
: "${CERTLAB_NODE_URL:=https://127.0.0.1:${CERTLAB_HTTP_PORT}}"
export CERTLAB_ROOT CERTLAB_HTTP_PORT CERTLAB_ADMIN_HEALTH_PORT CERTLAB_LOG_COUNT CERTLAB_LOG_RATE CERTLAB_NODE_URL
