package dev.expertrouter.api.admin;

import dev.expertrouter.api.AdminAuthenticator;
import dev.expertrouter.api.ApiErrors;
import dev.expertrouter.api.ApiException;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.tenancy.TenantLimiter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /admin/tenants/{name}/usage}: a tenant's spend today and this month (UTC), its limits and what is left. */
@Path("/admin/tenants")
public class TenantUsageResource {

    private final ConfigHolder config;
    private final RouterSettings settings;
    private final TenantLimiter limiter;

    public TenantUsageResource(ConfigHolder config, RouterSettings settings, TenantLimiter limiter) {
        this.config = config;
        this.settings = settings;
        this.limiter = limiter;
    }

    @GET
    @Path("{name}/usage")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> usage(@PathParam("name") String name, @HeaderParam("Authorization") String authorization) {
        RouterConfig cfg = config.current();
        try {
            AdminAuthenticator.authenticate(authorization, settings.adminKey(), cfg);
        } catch (ApiException e) {
            return Uni.createFrom().item(error(e));
        }
        TenantConfig tenant = cfg.tenants().stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        if (tenant == null) {
            return Uni.createFrom().item(error(ApiException.notFound("unknown_tenant", "No tenant named '" + name + "'.", "name")));
        }
        return limiter.usage(tenant).map(u -> Response.ok(u.toJson().toString(), MediaType.APPLICATION_JSON).build());
    }

    private static Response error(ApiException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(ApiErrors.body(e).toString()).build();
    }
}
