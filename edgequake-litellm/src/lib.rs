//! The `edgequake_litellm._core` extension module: a thin layer over
//! `edgequake-llm` that converts Python values; the Python package on top
//! (`python/edgequake_litellm`) shapes the public API.

use edgequake_llm::{
    CompletionRequest, CostTracker as CoreTracker, Message, OfflineProvider, Provider, Role, Usage,
};
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

fn message_from(item: &Bound<'_, PyAny>) -> PyResult<Message> {
    let dict = item.cast::<PyDict>().map_err(|_| {
        PyValueError::new_err("each message must be a dict with `role` and `content`")
    })?;
    let field = |key: &str| -> PyResult<String> {
        dict.get_item(key)?
            .ok_or_else(|| PyKeyError::new_err(format!("message has no `{key}`")))?
            .extract::<String>()
    };
    let role_name = field("role")?;
    let role = Role::parse(&role_name).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown role `{role_name}`: use system, user or assistant"
        ))
    })?;
    Ok(Message::new(role, field("content")?))
}

/// Runs one completion on the offline provider and returns an
/// OpenAI-shaped response dict.
#[pyfunction]
#[pyo3(signature = (model, messages, max_tokens=None, temperature=None))]
fn completion<'py>(
    py: Python<'py>,
    model: &str,
    messages: &Bound<'py, PyList>,
    max_tokens: Option<u32>,
    temperature: Option<f32>,
) -> PyResult<Bound<'py, PyDict>> {
    let messages = messages
        .iter()
        .map(|m| message_from(&m))
        .collect::<PyResult<Vec<_>>>()?;
    let mut request = CompletionRequest::new(model, messages);
    if let Some(max) = max_tokens {
        request = request.with_max_tokens(max);
    }
    if let Some(t) = temperature {
        request = request.with_temperature(t);
    }
    let response = OfflineProvider::new()
        .complete(&request)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;

    let message = PyDict::new(py);
    message.set_item("role", "assistant")?;
    message.set_item("content", &response.content)?;
    let choice = PyDict::new(py);
    choice.set_item("index", 0)?;
    choice.set_item("message", message)?;
    choice.set_item("finish_reason", response.finish_reason.as_str())?;
    let usage = PyDict::new(py);
    usage.set_item("prompt_tokens", response.usage.prompt_tokens)?;
    usage.set_item("completion_tokens", response.usage.completion_tokens)?;
    usage.set_item("total_tokens", response.usage.total_tokens())?;
    let out = PyDict::new(py);
    out.set_item("model", &response.model)?;
    out.set_item("choices", PyList::new(py, [choice])?)?;
    out.set_item("usage", usage)?;
    Ok(out)
}

/// The models the offline provider serves.
#[pyfunction]
fn offline_models() -> Vec<&'static str> {
    OfflineProvider::models().to_vec()
}

/// Adds up the cost of calls from the built-in price table.
#[pyclass(module = "edgequake_litellm._core")]
#[derive(Default)]
struct CostTracker {
    inner: CoreTracker,
}

#[pymethods]
impl CostTracker {
    #[new]
    fn new() -> Self {
        CostTracker::default()
    }

    /// Records one call; returns its cost in US dollars.
    fn record(&mut self, model: &str, prompt_tokens: u32, completion_tokens: u32) -> PyResult<f64> {
        let usage = Usage {
            prompt_tokens,
            completion_tokens,
        };
        self.inner
            .record(model, usage)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    #[getter]
    fn total_cost(&self) -> f64 {
        self.inner.total_cost()
    }

    #[getter]
    fn total_calls(&self) -> u64 {
        self.inner.total_calls()
    }

    #[getter]
    fn total_tokens(&self) -> u64 {
        self.inner.total_tokens()
    }

    fn cost_of(&self, model: &str) -> f64 {
        self.inner.cost_of(model)
    }

    fn reset(&mut self) {
        self.inner.reset();
    }
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_VERSION", edgequake_llm::VERSION)?;
    m.add_function(wrap_pyfunction!(completion, m)?)?;
    m.add_function(wrap_pyfunction!(offline_models, m)?)?;
    m.add_class::<CostTracker>()?;
    Ok(())
}
