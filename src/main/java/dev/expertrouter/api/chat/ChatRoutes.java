package dev.expertrouter.api.chat;

import dev.expertrouter.api.OpenAiRoutes;
import dev.expertrouter.config.RouterSettings;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Mounts {@code POST /v1/chat/completions} beside the rest of the OpenAI surface. */
@ApplicationScoped
public class ChatRoutes {

    private final ChatCompletionHandler chat;
    private final RouterSettings settings;

    public ChatRoutes(ChatCompletionHandler chat, RouterSettings settings) {
        this.chat = chat;
        this.settings = settings;
    }

    void register(@Observes Router web) {
        OpenAiRoutes.post(web, "/v1/chat/completions", settings, chat::handle);
    }
}
