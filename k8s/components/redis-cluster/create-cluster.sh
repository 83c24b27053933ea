#!/bin/sh
# Makes the Redis servers named in the arguments one Redis Cluster with a replica for every master
# (six servers: three masters, three replicas). Safe to run again: the cluster is created once, and
# afterwards its servers are only told each other's current addresses. Run by the Job redis-cluster
# (k8s/components/redis-cluster) and by docker-compose.cluster.yml's redis-cluster:
#   sh create-cluster.sh redis-0.redis redis-1.redis redis-2.redis redis-3.redis redis-4.redis redis-5.redis
set -eu

# Runs "$@" until it succeeds, for up to three minutes.
retry() {
  tries=0
  until "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 90 ]; then
      echo "gave up after three minutes: $*" >&2
      return 1
    fi
    sleep 2
  done
}
resolves() { getent hosts "$1" >/dev/null; }
answers() { [ "$(redis-cli -h "$1" ping 2>/dev/null)" = PONG ]; }
cluster_info() { redis-cli -h "$1" cluster info | tr -d '\r'; }
is_ok() { cluster_info "$1" | grep -qx 'cluster_state:ok'; }

# CLUSTER MEET, which create sends, takes addresses only: resolve each name (a pod's name resolves
# once the pod has an address), and wait for the server to answer there.
addresses=
for name in "$@"; do
  retry resolves "$name"
  address=$(getent hosts "$name" | cut -d ' ' -f 1)
  retry answers "$address"
  addresses="$addresses $address"
done

alone=0
for address in $addresses; do
  if cluster_info "$address" | grep -qx 'cluster_known_nodes:1'; then alone=$((alone + 1)); fi
done

if [ "$alone" -eq "$#" ]; then
  # shellcheck disable=SC2046 # one argument per server
  redis-cli --cluster create $(for address in $addresses; do echo "$address:6379"; done) --cluster-replicas 1 --cluster-yes
elif [ "$alone" -gt 0 ]; then
  echo "$alone of the $# servers are in no cluster while the others are: add them with redis-cli --cluster add-node, or empty every server and run this again" >&2
  exit 1
else
  # Formed already. The servers reach each other at the addresses in their nodes.conf: one that
  # restarted alone at a new address is learnt from its own messages, but servers that all restarted
  # at once would wait for each other at old addresses forever. Meeting at the current ones heals it.
  for address in $addresses; do
    for other in $addresses; do
      if [ "$other" != "$address" ]; then redis-cli -h "$address" cluster meet "$other" 6379 >/dev/null; fi
    done
  done
fi

for address in $addresses; do retry is_ok "$address"; done
echo "redis cluster ok:$addresses"
