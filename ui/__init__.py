"""convrec.ui: the Gradio chat for the agent (see ARCHITECTURE.md).

Gradio's telemetry and version check are switched off before Gradio is imported: the app
makes no outbound calls.
"""

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
