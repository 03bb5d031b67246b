"""The deployment's configuration file (部署配置): ``$YUQING_HOME/yuqing.toml`` or ``YUQING_CONFIG``.

One reader for every table ([worker], [roster], [local_defaults], …): a syntax error or
a bad value is one line naming the file, the table and the field.
"""

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from domain.presentation import describe_validation_error
from settings.home import ConfigError, home_path

Model = TypeVar("Model", bound=BaseModel)


def config_path() -> Path:
    return home_path("yuqing.toml", "YUQING_CONFIG")


def read_table(path: Path | None, name: str, model: type[Model]) -> Model:
    """One table as ``model`` (its defaults when there is no file)."""
    path = path or config_path()
    if not path.exists():
        return model()
    try:
        with path.open("rb") as file:
            return model.model_validate(tomllib.load(file).get(name, {}))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: 不是有效的 TOML (not valid TOML): {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: 无法读取 (cannot be read): {error}") from None
    except ValidationError as error:
        raise ConfigError(f"{path} [{name}]：{describe_validation_error(error)}") from None
