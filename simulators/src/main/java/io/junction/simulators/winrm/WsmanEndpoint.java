package io.junction.simulators.winrm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** POST /wsman: the WS-Management shell resource (Create, Command, Receive, Signal, Delete). */
final class WsmanEndpoint implements HttpHandler {
    static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
    static final String ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    static final String WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    static final String SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    static final String CMD_RESOURCE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
    static final String ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";
    static final String CREATE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create";
    static final String DELETE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete";
    static final String COMMAND = SHELL + "/Command";
    static final String RECEIVE = SHELL + "/Receive";
    static final String SIGNAL = SHELL + "/Signal";
    static final String STATE_DONE = SHELL + "/CommandState/Done";
    static final String STATE_RUNNING = SHELL + "/CommandState/Running";
    static final String SIGNAL_TERMINATE = SHELL + "/signal/terminate";
    static final String SIGNAL_CTRL_C = SHELL + "/signal/ctrl_c";
    static final int COMMAND_LINE_LIMIT = 8191;
    private static final int MAX_REQUEST = 512 * 1024;

    /** Runs one command line; returns the script it decoded (or null) for the journal. */
    interface Interpreter {
        String start(String commandLine, Charset codepage, CommandRun run, ExecutorService executor);
    }

    private static final class Shell {
        final String id;
        final String owner;
        final Charset codepage;
        final Map<String, CommandRun> commands = new ConcurrentHashMap<>();

        Shell(String id, String owner, Charset codepage) {
            this.id = id;
            this.owner = owner;
            this.codepage = codepage;
        }
    }

    private final AccountGate gate;
    private final Interpreter interpreter;
    private final ExecutorService executor;
    private final Consumer<ReceivedCommand> journal;
    private final Map<String, Shell> shells = new ConcurrentHashMap<>();
    private final String scheme;
    private volatile int port;

    WsmanEndpoint(AccountGate gate, Interpreter interpreter, ExecutorService executor, Consumer<ReceivedCommand> journal,
                  String scheme) {
        this.gate = gate;
        this.interpreter = interpreter;
        this.executor = executor;
        this.journal = journal;
        this.scheme = scheme;
    }

    void port(int value) {
        port = value;
    }

    int openShells() {
        return shells.size();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            exchange.getResponseHeaders().set("Server", "Microsoft-HTTPAPI/2.0");
            if (!exchange.getRequestURI().getPath().equalsIgnoreCase("/wsman")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (body == null) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            Authentication who = gate.admit(exchange);
            if (who == null) {
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).replace(" ", "").startsWith("application/soap+xml")) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            String messageId = null;
            String reply;
            int status = 200;
            try {
                Document doc = parse(body);
                Element envelope = doc.getDocumentElement();
                if (!"Envelope".equals(envelope.getLocalName())) {
                    throw WsmanFault.invalidXml("the root element is not a SOAP Envelope");
                }
                if (!SOAP.equals(envelope.getNamespaceURI())) {
                    throw WsmanFault.versionMismatch();
                }
                Element header = child(envelope, SOAP, "Header");
                Element soapBody = child(envelope, SOAP, "Body");
                if (header == null || soapBody == null) {
                    throw WsmanFault.invalidXml("the envelope needs a Header and a Body");
                }
                messageId = text(child(header, ADDRESSING, "MessageID"));
                String action = text(child(header, ADDRESSING, "Action"));
                if (action == null || action.isEmpty()) {
                    throw WsmanFault.headerRequired("Action");
                }
                if (messageId == null || messageId.isEmpty()) {
                    throw WsmanFault.headerRequired("MessageID");
                }
                if (text(child(header, ADDRESSING, "To")) == null) {
                    throw WsmanFault.headerRequired("To");
                }
                Element replyTo = child(header, ADDRESSING, "ReplyTo");
                if (replyTo == null || !ANONYMOUS.equals(text(child(replyTo, ADDRESSING, "Address")))) {
                    throw WsmanFault.headerRequired("ReplyTo (with the anonymous Address)");
                }
                String resource = text(child(header, WSMAN, "ResourceURI"));
                if (resource == null || resource.isEmpty()) {
                    throw WsmanFault.invalidResourceUri("none");
                }
                if (!resource.equalsIgnoreCase(CMD_RESOURCE)) {
                    throw WsmanFault.invalidResourceUri(resource);
                }
                reply = switch (action) {
                    case CREATE -> create(header, soapBody, who, messageId, exchange);
                    case COMMAND -> command(header, soapBody, who, messageId);
                    case RECEIVE -> receive(header, soapBody, messageId);
                    case SIGNAL -> signal(header, soapBody, messageId);
                    case DELETE -> delete(header, messageId);
                    default -> throw WsmanFault.actionNotSupported(action);
                };
            } catch (WsmanFault fault) {
                status = 500;
                reply = faultEnvelope(fault, messageId);
            }
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/soap+xml;charset=UTF-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String create(Element header, Element body, Authentication who, String messageId, HttpExchange exchange)
            throws WsmanFault {
        Element shellRequest = child(body, SHELL, "Shell");
        if (shellRequest == null) {
            throw WsmanFault.invalidXml("Create needs an rsp:Shell body");
        }
        Charset codepage = StandardCharsets.UTF_8;
        String page = option(header, "WINRS_CODEPAGE");
        if (page == null) {
            page = "437";
        }
        switch (page.trim()) {
            case "65001" -> codepage = StandardCharsets.UTF_8;
            case "437" -> codepage = Charset.forName("IBM437");
            case "1252" -> codepage = Charset.forName("windows-1252");
            default -> throw WsmanFault.invalidParameter("The WINRS_CODEPAGE option " + page + " is not supported: use 437, 1252 or 65001.");
        }
        String id = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        shells.put(id, new Shell(id, who.user(), codepage));
        String input = escape(textOr(child(shellRequest, SHELL, "InputStreams"), "stdin"));
        String output = escape(textOr(child(shellRequest, SHELL, "OutputStreams"), "stdout stderr"));
        String address = scheme + "://localhost:" + port + "/wsman";
        String client = String.valueOf(exchange.getRemoteAddress().getAddress().getHostAddress());
        return envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse", messageId,
                "<x:ResourceCreated><a:Address>" + address + "</a:Address><a:ReferenceParameters><w:ResourceURI>"
                        + CMD_RESOURCE + "</w:ResourceURI><w:SelectorSet><w:Selector Name=\"ShellId\">" + id
                        + "</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>"
                        + "<rsp:Shell xmlns:rsp=\"" + SHELL + "\"><rsp:ShellId>" + id + "</rsp:ShellId><rsp:ResourceUri>"
                        + CMD_RESOURCE + "</rsp:ResourceUri><rsp:Owner>" + escape(who.user()) + "</rsp:Owner><rsp:ClientIP>"
                        + client + "</rsp:ClientIP><rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut><rsp:InputStreams>" + input
                        + "</rsp:InputStreams><rsp:OutputStreams>" + output + "</rsp:OutputStreams>"
                        + "<rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime><rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity>"
                        + "</rsp:Shell>");
    }

    private String command(Element header, Element body, Authentication who, String messageId) throws WsmanFault {
        Shell shell = shell(header);
        Element line = child(body, SHELL, "CommandLine");
        Element command = line == null ? null : child(line, SHELL, "Command");
        if (command == null) {
            throw WsmanFault.invalidXml("Command needs rsp:CommandLine with rsp:Command");
        }
        StringBuilder commandLine = new StringBuilder(command.getTextContent().trim());
        for (Element argument : children(line, SHELL, "Arguments")) {
            commandLine.append(' ').append(argument.getTextContent().trim());
        }
        if (commandLine.length() > COMMAND_LINE_LIMIT) {
            throw WsmanFault.commandLineTooLong(commandLine.length());
        }
        String id = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        CommandRun run = new CommandRun(id);
        shell.commands.put(id, run);
        String script = interpreter.start(commandLine.toString(), shell.codepage, run, executor);
        journal.accept(new ReceivedCommand(who.user(), shell.id, id, commandLine.toString(), script));
        return envelope(SHELL + "/CommandResponse", messageId,
                "<rsp:CommandResponse><rsp:CommandId>" + id + "</rsp:CommandId></rsp:CommandResponse>");
    }

    private String receive(Element header, Element body, String messageId) throws WsmanFault {
        Shell shell = shell(header);
        Element receive = child(body, SHELL, "Receive");
        Element desired = receive == null ? null : child(receive, SHELL, "DesiredStream");
        if (desired == null) {
            throw WsmanFault.invalidXml("Receive needs rsp:Receive with rsp:DesiredStream");
        }
        String commandId = shellAttribute(desired, "CommandId");
        CommandRun run = shell.commands.get(commandId.toUpperCase(Locale.ROOT));
        if (run == null) {
            throw WsmanFault.commandNotFound(commandId);
        }
        List<String> streams = List.of(desired.getTextContent().trim().split("\\s+"));
        long deadline = System.nanoTime() + operationTimeout(header).toNanos();
        int envelopeSize = maxEnvelopeSize(header);
        // raw bytes whose base64, with the envelope around it, stays within MaxEnvelopeSize
        int budget = Math.max(1024, (envelopeSize - 4096) / 4 * 3);
        CommandRun.Chunk chunk;
        try {
            chunk = run.take(budget, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw WsmanFault.timedOut();
        }
        if (chunk == null) {
            throw WsmanFault.timedOut();
        }
        String cid = run.id;
        StringBuilder xml = new StringBuilder("<rsp:ReceiveResponse>");
        if (streams.contains("stdout")) {
            stream(xml, "stdout", cid, chunk.stdout(), chunk.exitCode() != null);
        }
        if (streams.contains("stderr")) {
            stream(xml, "stderr", cid, chunk.stderr(), chunk.exitCode() != null);
        }
        if (chunk.exitCode() != null) {
            xml.append("<rsp:CommandState CommandId=\"").append(cid).append("\" State=\"").append(STATE_DONE)
                    .append("\"><rsp:ExitCode>").append(chunk.exitCode()).append("</rsp:ExitCode></rsp:CommandState>");
        } else {
            xml.append("<rsp:CommandState CommandId=\"").append(cid).append("\" State=\"").append(STATE_RUNNING)
                    .append("\"></rsp:CommandState>");
        }
        xml.append("</rsp:ReceiveResponse>");
        return envelope(SHELL + "/ReceiveResponse", messageId, xml.toString());
    }

    private static void stream(StringBuilder xml, String name, String cid, byte[] data, boolean end) {
        if (data.length > 0) {
            xml.append("<rsp:Stream Name=\"").append(name).append("\" CommandId=\"").append(cid).append("\">")
                    .append(Base64.getEncoder().encodeToString(data)).append("</rsp:Stream>");
        }
        if (end) {
            xml.append("<rsp:Stream Name=\"").append(name).append("\" CommandId=\"").append(cid)
                    .append("\" End=\"true\"></rsp:Stream>");
        }
    }

    private String signal(Element header, Element body, String messageId) throws WsmanFault {
        Shell shell = shell(header);
        Element signal = child(body, SHELL, "Signal");
        if (signal == null) {
            throw WsmanFault.invalidXml("Signal needs an rsp:Signal body");
        }
        String commandId = shellAttribute(signal, "CommandId");
        String code = text(child(signal, SHELL, "Code"));
        if (!SIGNAL_TERMINATE.equals(code) && !SIGNAL_CTRL_C.equals(code)) {
            throw WsmanFault.invalidParameter("The signal code " + code + " is not supported.");
        }
        CommandRun run = shell.commands.remove(commandId.toUpperCase(Locale.ROOT));
        if (run == null) {
            throw WsmanFault.commandNotFound(commandId);
        }
        run.terminate();
        return envelope(SHELL + "/SignalResponse", messageId, "<rsp:SignalResponse/>");
    }

    private String delete(Element header, String messageId) throws WsmanFault {
        String id = shellId(header);
        Shell shell = shells.remove(id.toUpperCase(Locale.ROOT));
        if (shell == null) {
            throw WsmanFault.shellNotFound(id);
        }
        shell.commands.values().forEach(CommandRun::terminate);
        return envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse", messageId, "");
    }

    void closeAll() {
        shells.values().forEach(s -> s.commands.values().forEach(CommandRun::terminate));
        shells.clear();
    }

    private Shell shell(Element header) throws WsmanFault {
        String id = shellId(header);
        Shell shell = shells.get(id.toUpperCase(Locale.ROOT));
        if (shell == null) {
            throw WsmanFault.shellNotFound(id);
        }
        return shell;
    }

    private static String shellId(Element header) throws WsmanFault {
        Element set = child(header, WSMAN, "SelectorSet");
        if (set != null) {
            for (Element selector : children(set, WSMAN, "Selector")) {
                if ("ShellId".equals(selector.getAttribute("Name"))) {
                    return selector.getTextContent().trim();
                }
            }
        }
        throw new WsmanFault(WsmanFault.WSMAN_FAULT_ACTION, "s:Sender", "w:InvalidSelectors",
                "The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ",
                2150858843L, "The request needs a w:SelectorSet with a w:Selector Name=\"ShellId\". ");
    }

    private static String option(Element header, String name) {
        Element set = child(header, WSMAN, "OptionSet");
        if (set == null) {
            return null;
        }
        for (Element option : children(set, WSMAN, "Option")) {
            if (name.equals(option.getAttribute("Name"))) {
                return option.getTextContent();
            }
        }
        return null;
    }

    private static Duration operationTimeout(Element header) throws WsmanFault {
        String text = text(child(header, WSMAN, "OperationTimeout"));
        if (text == null) {
            return Duration.ofSeconds(60);
        }
        // Any xs:duration, as Windows reads it: PT60.000S, PT1M, P0DT0H1M0S, P0Y0M0DT0H0M60S.
        javax.xml.datatype.Duration d;
        try {
            d = DatatypeFactory.newInstance().newDuration(text);
        } catch (IllegalArgumentException | DatatypeConfigurationException e) {
            throw WsmanFault.invalidParameter("The OperationTimeout " + text + " is not an xs:duration.");
        }
        if (d.getSign() < 0) {
            throw WsmanFault.invalidParameter("OperationTimeout must not be negative.");
        }
        Duration timeout = Duration.ofMillis(d.getTimeInMillis(new Date(0)));
        return timeout.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : timeout;
    }

    private static int maxEnvelopeSize(Element header) throws WsmanFault {
        String text = text(child(header, WSMAN, "MaxEnvelopeSize"));
        if (text == null) {
            return 153600;
        }
        try {
            int size = Integer.parseInt(text);
            if (size < 8192) {
                throw WsmanFault.invalidParameter("MaxEnvelopeSize " + size + " is too small: at least 8192.");
            }
            return Math.min(size, 512000);
        } catch (NumberFormatException e) {
            throw WsmanFault.invalidParameter("MaxEnvelopeSize " + text + " is not a number.");
        }
    }

    static String envelope(String action, String relatesTo, String body) {
        return "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"" + SOAP + "\" xmlns:a=\"" + ADDRESSING
                + "\" xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\" xmlns:w=\"" + WSMAN
                + "\" xmlns:rsp=\"" + SHELL + "\" xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\">"
                + "<s:Header><a:Action>" + action + "</a:Action><a:MessageID>uuid:"
                + UUID.randomUUID().toString().toUpperCase(Locale.ROOT) + "</a:MessageID><a:To>" + ANONYMOUS + "</a:To>"
                + (relatesTo == null ? "" : "<a:RelatesTo>" + escape(relatesTo) + "</a:RelatesTo>")
                + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    static String faultEnvelope(WsmanFault fault, String relatesTo) {
        String subcode = fault.subcode == null ? "" : "<s:Subcode><s:Value>" + fault.subcode + "</s:Value></s:Subcode>";
        return envelope(fault.action, relatesTo, "<s:Fault><s:Code><s:Value>" + fault.code + "</s:Value>" + subcode
                + "</s:Code><s:Reason><s:Text xml:lang=\"en-US\">" + escape(fault.reason) + "</s:Text></s:Reason>"
                + "<s:Detail><f:WSManFault xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\" Code=\""
                + fault.wsmanCode + "\" Machine=\"localhost\"><f:Message>" + escape(fault.detailMessage)
                + "</f:Message></f:WSManFault></s:Detail></s:Fault>");
    }

    private static Document parse(byte[] body) throws WsmanFault {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(body));
        } catch (SAXException e) {
            throw WsmanFault.invalidXml(e.getMessage());
        } catch (ParserConfigurationException | IOException e) {
            throw WsmanFault.invalidXml(String.valueOf(e));
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_REQUEST + 1);
        if (bytes.length > MAX_REQUEST) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        return bytes;
    }

    static Element child(Element parent, String ns, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String ns, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * An attribute of a shell element, unprefixed or in the shell namespace: Windows accepts both
     * {@code CommandId="…"} and {@code rsp:CommandId="…"} (some WinRM clients send the second).
     */
    static String shellAttribute(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : e.getAttributeNS(SHELL, name);
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }

    private static String textOr(Element e, String fallback) {
        String t = text(e);
        return t == null || t.isEmpty() ? fallback : t;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
