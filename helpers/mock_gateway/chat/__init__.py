"""The chat route's upstream, OpenAI's side: request checks, its errors, the mock's model."""
