package io.seqvision.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.web.api.ApiError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before a request reaches Javalin (a malformed request line 400,
 * a URI too long 414, headers too large 431), as the same JSON error bodies and security headers
 * as every other answer, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() < 400 ? 500 : response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        String text = switch (status) {
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            case 400 -> "the request is malformed" + (message == null ? "" : " (" + message + ")");
            default -> message == null ? "the request failed" : message.toString();
        };
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new ApiError(status, code(status), text));
        } catch (JsonProcessingException e) {
            body = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        SecurityHeaders.VALUES.forEach((name, value) -> response.getHeaders().put(name, value));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> "http_" + status;
        };
    }

    /** Headers every answer carries. */
    static final class SecurityHeaders {
        /**
         * The page loads its own script, style and images only; images are also the {@code data:}
         * favicon and {@code blob:} URLs of uploads; scripts set styles through the CSSOM, which
         * style-src does not restrict.
         */
        static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                + "form-action 'self'; frame-ancestors 'none'";

        static final Map<String, String> VALUES = Map.of(
                "X-Content-Type-Options", "nosniff",
                "X-Frame-Options", "DENY",
                "Content-Security-Policy", CSP,
                "Referrer-Policy", "no-referrer");

        private SecurityHeaders() {}
    }
}
