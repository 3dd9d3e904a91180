"""JAX arrays that numpy code can run on unchanged: the model's own functions, traced into one jit.

The world model is written against numpy (`import numpy as np`). NumPy lets a foreign array type take over
its functions through two protocols: `__array_ufunc__` (np.exp, np.maximum, arithmetic, comparisons, ...)
and `__array_function__` (np.where, np.stack, np.argmax, ...). `Traced` wraps a JAX array and answers both by
calling the function of the same name in `jax.numpy`, so `step`, `observe` and a plan's `decide` run on JAX
tracers and XLA compiles them, with no second copy of any equation (see `crunchtime.engine.jit`).

What the model must not do on a `Traced` (each raises a clear error when traced): branch in Python on an
array's value, convert one to a Python number or a numpy array, or assign into it in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from crunchtime.model.plans.expr import ARRAYS_AS_IS

if TYPE_CHECKING:  # type checkers see JAX's own types; at run time JAX is optional
    import jax
    import jax.numpy as jnp
else:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:  # pragma: no cover - api's jit=True checks crunchtime.engine.jit.available first
        jax = jnp = None

# numpy functions whose first argument is a sequence of arrays (kept a list, not stacked)
_SEQUENCE_FIRST = frozenset({"stack", "concatenate", "select", "hstack", "vstack", "broadcast_arrays"})
# numpy's name -> jax.numpy's, where they differ
_RENAMED = {"true_divide": "divide", "absolute": "abs", "conjugate": "conj"}


def unwrap(x: Any) -> Any:
    """The JAX array inside a Traced (recursively through lists, tuples and dicts); anything else as is."""
    if isinstance(x, Traced):
        return x.a
    if isinstance(x, (list, tuple)):
        return type(x)(unwrap(v) for v in x)
    if isinstance(x, dict):
        return {k: unwrap(v) for k, v in x.items()}
    return x


def wrap(x: Any) -> Any:
    """JAX arrays (recursively through lists, tuples and dicts) as Traced; anything else as is."""
    if isinstance(x, (list, tuple)):
        return type(x)(wrap(v) for v in x)
    if isinstance(x, dict):
        return {k: wrap(v) for k, v in x.items()}
    if isinstance(x, jax.Array):
        return Traced(x)
    return x


def _jnp(name: str) -> Callable:
    fn = getattr(jnp, _RENAMED.get(name, name), None)
    if fn is None:
        raise TypeError(f"numpy.{name} has no jax.numpy counterpart; the jit cannot trace it")
    return fn


def _binary(name: str, reflected: bool = False) -> Callable:
    def op(self: Traced, other: Any) -> Any:
        a, b = (unwrap(other), self.a) if reflected else (self.a, unwrap(other))
        return Traced(_jnp(name)(a, b))

    return op


def _reduction(name: str) -> Callable:
    def method(self: Traced, *args: Any, **kwargs: Any) -> Any:
        return wrap(getattr(self.a, name)(*unwrap(args), **unwrap(kwargs)))

    method.__name__ = name
    return method


class Traced:
    """A JAX array that numpy functions and operators dispatch on (see the module docstring)."""

    __slots__ = ("a",)
    __array_priority__ = 1000

    def __init__(self, a: Any):
        self.a = a

    # numpy's protocols
    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if kwargs.get("out") is not None:
            raise TypeError(f"numpy.{ufunc.__name__}(out=...) writes in place; the jit cannot trace it")
        if method == "__call__":
            return wrap(_jnp(ufunc.__name__)(*unwrap(inputs), **unwrap(kwargs)))
        if method == "reduce" and ufunc.__name__ in ("add", "multiply", "maximum", "minimum"):
            reducers: dict[str, Callable[..., Any]] = {
                "add": jnp.sum,
                "multiply": jnp.prod,
                "maximum": jnp.max,
                "minimum": jnp.min,
            }
            fn = reducers[ufunc.__name__]
            kwargs = {"axis": 0, **kwargs}  # numpy's ufunc.reduce reduces axis 0 by default, jnp.sum all axes
            return wrap(fn(*unwrap(inputs), **unwrap(kwargs)))
        raise TypeError(f"numpy.{ufunc.__name__}.{method} cannot be traced by the jit")

    def __array_function__(self, func: Callable, types: Any, args: tuple, kwargs: dict) -> Any:
        name = func.__name__
        args = unwrap(args)
        if args and isinstance(args[0], (list, tuple)) and name not in _SEQUENCE_FIRST:
            args = (jnp.asarray(args[0]), *args[1:])
        kwargs = {k: v for k, v in unwrap(kwargs).items() if not (k == "copy" and name == "astype")}
        return wrap(_jnp(name)(*args, **kwargs))

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "a traced array cannot become a numpy array inside the jit (np.asarray, np.full, ...); "
            "write the mechanism with array operations"
        )

    def __bool__(self) -> bool:
        raise TypeError("the model branched in Python on a traced array's value; use np.where instead")

    def __float__(self) -> float:
        raise TypeError("float() of a traced array inside the jit")

    __int__ = __index__ = __float__

    # array attributes and methods the model uses
    shape = property(lambda self: self.a.shape)
    ndim = property(lambda self: self.a.ndim)
    dtype = property(lambda self: self.a.dtype)
    size = property(lambda self: self.a.size)
    T = property(lambda self: Traced(self.a.T))

    def __len__(self) -> int:
        return len(self.a)

    def __iter__(
        self,
    ) -> Iterator[Traced]:  # without it Python would index 0, 1, 2, ... and JAX clamps: an endless loop
        return (Traced(v) for v in self.a)

    def __repr__(self) -> str:
        return f"Traced({self.a!r})"

    def __getitem__(self, index: Any) -> Traced:
        return Traced(self.a[unwrap(index)])

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError("the model assigned into an array in place; the jit cannot trace it (build a new array)")

    def astype(self, dtype: Any, copy: bool = True) -> Traced:
        return Traced(self.a.astype(dtype))

    def copy(self) -> Traced:
        return self

    def reshape(self, *shape: Any) -> Traced:
        return Traced(self.a.reshape(*shape))

    sum = _reduction("sum")
    prod = _reduction("prod")
    max = _reduction("max")
    min = _reduction("min")
    mean = _reduction("mean")
    any = _reduction("any")
    all = _reduction("all")
    argmax = _reduction("argmax")
    cumsum = _reduction("cumsum")

    # operators
    __add__, __radd__ = _binary("add"), _binary("add", True)
    __sub__, __rsub__ = _binary("subtract"), _binary("subtract", True)
    __mul__, __rmul__ = _binary("multiply"), _binary("multiply", True)
    __truediv__, __rtruediv__ = _binary("divide"), _binary("divide", True)
    __floordiv__, __rfloordiv__ = _binary("floor_divide"), _binary("floor_divide", True)
    __mod__, __rmod__ = _binary("mod"), _binary("mod", True)
    __pow__, __rpow__ = _binary("power"), _binary("power", True)
    __and__, __rand__ = _binary("bitwise_and"), _binary("bitwise_and", True)
    __or__, __ror__ = _binary("bitwise_or"), _binary("bitwise_or", True)
    __xor__, __rxor__ = _binary("bitwise_xor"), _binary("bitwise_xor", True)
    __lt__, __le__ = _binary("less"), _binary("less_equal")
    __gt__, __ge__ = _binary("greater"), _binary("greater_equal")
    __eq__, __ne__ = _binary("equal"), _binary("not_equal")
    __hash__ = None  # type: ignore[assignment]

    def __neg__(self) -> Traced:
        return Traced(-self.a)

    def __pos__(self) -> Traced:
        return self

    def __abs__(self) -> Traced:
        return Traced(jnp.abs(self.a))

    def __invert__(self) -> Traced:
        return Traced(~self.a)


ARRAYS_AS_IS.append(Traced)  # a plan's compiled expressions take Traced arrays as they are
