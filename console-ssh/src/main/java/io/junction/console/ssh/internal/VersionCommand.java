package io.junction.console.ssh.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code junction:version}: what the consoles greet with. */
@Component(service = VersionCommand.class, property = {
        "osgi.command.scope=junction", "osgi.command.function=version",
        "junction.command.role=version=viewer"})
public class VersionCommand {
    private final String version;

    @Activate
    public VersionCommand(BundleContext context) {
        this.version = text(context.getBundle().getVersion());
    }

    @Descriptor("prints Junction's version")
    public String version() {
        return "Junction " + version;
    }

    /** 0.1.0.SNAPSHOT as Maven writes it: 0.1.0-SNAPSHOT. */
    static String text(Version v) {
        String base = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
        return v.getQualifier().isEmpty() ? base : base + "-" + v.getQualifier();
    }
}
