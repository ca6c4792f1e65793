package dev.expertrouter.experts;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A complete, validated non-streaming answer from an expert. */
public record ExpertReply(String expert, ObjectNode body, Usage usage) {
}
