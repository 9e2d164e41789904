package io.junction.provider.openstack.internal;

/**
 * The provider's configuration as the services use it (see {@link OpenStackConfiguration}).
 *
 * @param iface               catalog interface: {@code public}, {@code internal} or {@code admin}
 * @param region              catalog region, or {@code null} for any
 * @param computeMicroversion Nova microversion, e.g. {@code 2.60}
 * @param pageSize            servers and images per page
 * @param exchange            notification exchange
 * @param topic               notification topic
 * @param eventBatchSize      most events per delivery
 */
public record OpenStackSettings(String iface, String region, String computeMicroversion, int pageSize, String exchange,
                                String topic, int eventBatchSize) {
    public static final OpenStackSettings DEFAULTS = new OpenStackSettings("public", null, "2.60", 500, "nova",
            "versioned_notifications", 200);

    public static OpenStackSettings of(OpenStackConfiguration c) {
        String iface = c.interface$() == null || c.interface$().isBlank() ? "public" : c.interface$().strip();
        String region = c.region() == null || c.region().isBlank() ? null : c.region().strip();
        String mv = c.computeMicroversion() == null || c.computeMicroversion().isBlank() ? "2.60" : c.computeMicroversion().strip();
        return new OpenStackSettings(iface, region, mv, Math.max(1, c.pageSize()),
                blank(c.notificationExchange(), "nova"), blank(c.notificationTopic(), "versioned_notifications"),
                Math.max(1, c.eventBatchSize()));
    }

    private static String blank(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s.strip();
    }
}
