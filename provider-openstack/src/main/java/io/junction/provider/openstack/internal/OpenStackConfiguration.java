package io.junction.provider.openstack.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration PID {@code io.junction.provider.openstack}, shared by the Keystone, Nova and notification services. */
@ObjectClassDefinition(id = OpenStackConfiguration.PID, name = "Junction OpenStack provider",
        description = "Which catalog endpoints the OpenStack services use, the Nova microversion, and how notifications are read.")
public @interface OpenStackConfiguration {
    String PID = "io.junction.provider.openstack";

    @AttributeDefinition(name = "Endpoint interface", description = "Catalog interface of the discovered and used endpoints.",
            options = {@Option(label = "public", value = "public"), @Option(label = "internal", value = "internal"),
                    @Option(label = "admin", value = "admin")})
    String interface$() default "public";

    @AttributeDefinition(name = "Region", required = false,
            description = "Catalog region (region_id) of the endpoints; empty takes the first endpoint of the interface.")
    String region() default "";

    @AttributeDefinition(name = "Nova microversion", description = "Sent as 'OpenStack-API-Version: compute <version>'; 2.47 or later embeds flavors in servers.")
    String computeMicroversion() default "2.60";

    @AttributeDefinition(name = "Page size", min = "1", description = "limit= of each page of servers and images.")
    int pageSize() default 500;

    @AttributeDefinition(name = "Notification exchange", description = "Topic exchange Nova publishes notifications to.")
    String notificationExchange() default "nova";

    @AttributeDefinition(name = "Notification topic", description = "oslo.messaging topic of versioned notifications; its .info and .error routing keys are bound.")
    String notificationTopic() default "versioned_notifications";

    @AttributeDefinition(name = "Event batch size", min = "1", description = "Most notifications delivered (and stored) at once before they are acknowledged.")
    int eventBatchSize() default 200;
}
