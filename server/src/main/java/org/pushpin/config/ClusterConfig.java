package org.pushpin.config;

/**
 * {@code [cluster]}: how instances share one channel space (docs/scaling.md). Pushpin has no such section; its
 * instances share channels over ZeroMQ ({@code push_in_sub_specs} with {@code push_in_sub_connect}), which works here
 * too without it.
 *
 * @param broker       {@code none} (this instance alone, the default) or {@code redis}
 * @param redisUrl     {@code redis_url}: {@code redis://[user:password@]host:port[/db]}, or {@code rediss://}
 * @param redisPrefix  {@code redis_prefix}: put before every Redis channel name, so deployments can share a Redis
 * @param redisSharded {@code redis_sharded}: sharded pub/sub (SSUBSCRIBE/SPUBLISH, Redis 7, for Redis Cluster)
 */
public record ClusterConfig(String broker, String redisUrl, String redisPrefix, boolean redisSharded) {
    public static final ClusterConfig NONE = new ClusterConfig("none", "redis://127.0.0.1:6379", "pushpin:", false);

    public boolean redis() {
        return "redis".equals(broker);
    }
}
