package io.junction.model.internal;

import io.junction.api.JunctionException;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** The directory Junction runs in ({@code bin/}, {@code etc/}, {@code data/}), from the {@code junction.home} property. */
final class JunctionHome {
    static final String PROPERTY = "junction.home";

    private JunctionHome() {
    }

    static Path of(BundleContext context) {
        String home = context.getProperty(PROPERTY);
        if (home == null || home.isBlank()) {
            throw new JunctionException("the framework property " + PROPERTY + " is not set");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }
}
