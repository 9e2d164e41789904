package io.junction.security.internal;

import io.junction.api.security.AuditTrail;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail as log lines of the logger {@code junction.audit}, which {@code etc/logback.xml}
 * sends to {@code data/log/audit.log} only (rotated like the main log):
 * {@code <time> user=<name> role=<role> origin=<origin> outcome=<ok|error|denied> command=<line>}.
 */
@Component(service = AuditTrail.class)
public class LogAuditTrail implements AuditTrail {
    static final String LOGGER = "junction.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);

    /** Options whose value is a secret, and name=value pairs whose name says so. */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)(--?[\\w-]*(?:password|passwd|secret|token|passphrase)(?![\\w-]*file)[\\w-]*)(\\s*=\\s*|\\s+)(\"[^\"]*\"|'[^']*'|\\S+)");
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "(?i)\\b([\\w.]*(?:password|passwd|secret|token|passphrase)(?![\\w.]*file)[\\w.]*)=(\"[^\"]*\"|'[^']*'|\\S+)");

    @Override
    public void record(Entry entry) {
        AUDIT.info("{} user={} role={} origin={} outcome={} command={}",
                DateTimeFormatter.ISO_INSTANT.format(entry.time()), word(entry.user()), word(entry.role()),
                word(entry.origin()), word(entry.outcome()), oneLine(elideSecrets(entry.action())));
    }

    @Override
    public String elideSecrets(String commandLine) {
        if (commandLine == null) {
            return "";
        }
        Matcher m = SECRET_OPTION.matcher(commandLine);
        String s = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + "***"));
        Matcher p = SECRET_PAIR.matcher(s);
        return p.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "=***"));
    }

    /** A field that must stay one word, whatever a user name sent by a client holds. */
    private static String word(String s) {
        String w = s.replaceAll("[^\\x21-\\x7e]", "?");
        return w.isEmpty() ? "-" : w.length() > 64 ? w.substring(0, 64) + "..." : w;
    }

    /** A value on one line: a command line with line breaks must not forge a second audit line. */
    private static String oneLine(String s) {
        return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }
}
