package io.junction.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction HTTPS",
        description = "Where the HTTPS server of the REST API listens and with which certificate; plain HTTP only if turned on. Applied live.")
@interface HttpConfiguration {
    String PID = "io.junction.http";

    @AttributeDefinition(description = "Address to listen on; 127.0.0.1 keeps the API to this machine, 0.0.0.0 opens it to all.")
    String address() default "127.0.0.1";

    @AttributeDefinition(description = "HTTPS port.", min = "1", max = "65535")
    int port() default 8443;

    @AttributeDefinition(description = "PKCS12 key store holding the server's key and certificate. Empty for "
            + "<junction.home>/etc/https-keystore.p12, made with a self-signed certificate at first start (owner-only).")
    String keystore() default "";

    @AttributeDefinition(description = "Password of a configured key store (and of its key). Not used for the generated one.",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String keystorePassword() default "";

    @AttributeDefinition(description = "Whether plain, unencrypted HTTP is served too (credentials would cross the network in clear).")
    boolean httpEnabled() default false;

    @AttributeDefinition(description = "Plain HTTP port, when httpEnabled.", min = "1", max = "65535")
    int httpPort() default 8080;
}
