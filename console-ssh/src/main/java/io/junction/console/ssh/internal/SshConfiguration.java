package io.junction.console.ssh.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Junction SSH console",
        description = "The console over SSH: where it listens, whether it runs, when idle sessions end. Applied live.")
@interface SshConfiguration {
    String PID = "io.junction.ssh";

    @AttributeDefinition(description = "Whether the SSH console runs.")
    boolean enabled() default true;

    @AttributeDefinition(description = "Address to listen on; 127.0.0.1 keeps the console to this machine, 0.0.0.0 opens it to all.")
    String address() default "127.0.0.1";

    @AttributeDefinition(description = "TCP port.", min = "1", max = "65535")
    int port() default 8101;

    @AttributeDefinition(description = "Minutes after which a session without traffic is closed (0: never).", min = "0")
    int idleTimeoutMinutes() default 30;

    @AttributeDefinition(description = "Host key file (made at first start, owner-only). Empty for <junction.home>/etc/ssh-host-key.")
    String hostKeyFile() default "";
}
