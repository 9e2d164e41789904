package io.junction.simulators.openstack;

import io.junction.simulators.winrm.TlsIdentity;
import java.lang.reflect.Method;
import javax.net.ssl.SSLContext;

/** The server side of a {@link TlsIdentity}, which that class keeps to its own package. */
final class ServerTls {
    private ServerTls() {
    }

    static SSLContext serverContext(TlsIdentity identity) {
        try {
            Method method = TlsIdentity.class.getDeclaredMethod("serverContext");
            method.setAccessible(true);
            return (SSLContext) method.invoke(identity);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot get the server TLS context of the simulator's identity: " + e, e);
        }
    }
}
